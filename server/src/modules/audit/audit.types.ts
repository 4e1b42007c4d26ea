import { GraphQLDateTimeISO, GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../core/graphql/index.ts';

@ObjectType('AuditEvent', { description: 'A security-relevant action in the tenant.' })
export class AuditEventType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'e.g. user.signed_in, api_key.revoked, member.role_changed, bot.published' })
  action!: string;
  @Field(() => String, { description: 'user, api_key, visitor or system' }) actorType!: string;
  @Field(() => ID, { nullable: true }) actorId?: string | null;
  @Field(() => String, { nullable: true }) targetType?: string | null;
  @Field(() => ID, { nullable: true }) targetId?: string | null;
  @Field(() => String, { nullable: true }) ip?: string | null;
  @Field(() => GraphQLJSONObject) metadata!: Record<string, unknown>;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
}

export const AuditEventConnection = ConnectionType('AuditEvent', AuditEventType, { totalCount: true });
