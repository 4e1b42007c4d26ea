import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';

@ObjectType('CannedReply', { description: "One of the team's canned replies, inserted in the Inbox composer by typing / and its shortcut." })
export class CannedReplyType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Lower case, 1 to 32 of a-z 0-9 _ -; unique in the tenant.' }) shortcut!: string;
  @Field(() => String) text!: string;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => GraphQLDateTimeISO) updatedAt!: Date;
}

@InputType('CannedReplyInput')
export class CannedReplyInputType {
  @Field(() => String, { description: '1 to 32 of a-z 0-9 _ - (upper case is folded); CONFLICT when another reply has it.' }) shortcut!: string;
  @Field(() => String, { description: '1 to 2000 characters.' }) text!: string;
}
