import { GraphQLDateTimeISO } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../core/graphql/index.ts';

export enum MemberRoleEnum {
  OWNER = 'owner',
  ADMIN = 'admin',
  DESIGNER = 'designer',
  AGENT = 'agent',
  ANALYST = 'analyst',
  VIEWER = 'viewer',
}
registerEnumType(MemberRoleEnum, {
  name: 'MemberRole',
  description: 'owner and admin manage everything; designer authors bots; agent takes over conversations; analyst reads analytics; viewer reads.',
});

export enum ApiKeyScopeEnum {
  READ = 'read',
  WRITE = 'write',
  PUBLISH = 'publish',
  ANALYTICS = 'analytics',
  LEADS_READ = 'leads_read',
  CONVERSATIONS_HANDLE = 'conversations_handle',
}
registerEnumType(ApiKeyScopeEnum, {
  name: 'ApiKeyScope',
  valuesConfig: {
    LEADS_READ: { description: "Read leads, visitors' contact details included (the leads query)." },
    CONVERSATIONS_HANDLE: { description: 'Handle handoffs as an integration agent named after the key: take over, reply, hand back.' },
  },
});

@InputType()
export class SignUpInput {
  @Field(() => String) email!: string;
  @Field(() => String, { description: '8 to 128 characters; no composition rules.' }) password!: string;
  @Field(() => String, { description: 'Name of the organisation created with the account.' }) tenantName!: string;
}

@InputType()
export class LogInInput {
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
}

@ObjectType('User')
export class UserType {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
}

@ObjectType('Tenant')
export class TenantType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
}

@ObjectType()
export class AuthPayload {
  @Field(() => String, { description: 'Short-lived JWT for `Authorization: Bearer <accessToken>`.' }) accessToken!: string;
  @Field(() => String, { description: 'Single-use token for refreshSession; reusing one signs the session out.' })
  refreshToken!: string;
  @Field(() => UserType) user!: UserType;
  @Field(() => TenantType) tenant!: TenantType;
}

@ObjectType()
export class TenantMembership {
  @Field(() => TenantType) tenant!: TenantType;
  @Field(() => MemberRoleEnum) role!: MemberRoleEnum;
}

@ObjectType()
export class Viewer {
  @Field(() => UserType) user!: UserType;
  @Field(() => TenantType, { description: 'The tenant this session acts in.' }) tenant!: TenantType;
  @Field(() => MemberRoleEnum) role!: MemberRoleEnum;
  @Field(() => Boolean, { description: 'Operator of this Mascot installation.' }) isPlatformAdmin!: boolean;
  @Field(() => [TenantMembership], { description: 'Every tenant the user belongs to (see switchTenant).' })
  memberships!: TenantMembership[];
}

@ObjectType('Member')
export class MemberType {
  @Field(() => ID) userId!: string;
  @Field(() => String) email!: string;
  @Field(() => MemberRoleEnum) role!: MemberRoleEnum;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
}
export const MemberConnection = ConnectionType('Member', MemberType, { totalCount: true });

@InputType()
export class InviteMemberInput {
  @Field(() => String) email!: string;
  @Field(() => MemberRoleEnum) role!: MemberRoleEnum;
}

@ObjectType('Invitation')
export class InvitationType {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => MemberRoleEnum) role!: MemberRoleEnum;
  @Field(() => GraphQLDateTimeISO) expiresAt!: Date;
}

export const InvitationConnection = ConnectionType('Invitation', InvitationType, { totalCount: true });

@ObjectType({ description: 'The invitation token is shown only here; pass the link on to the invitee.' })
export class CreatedInvitation {
  @Field(() => InvitationType) invitation!: InvitationType;
  @Field(() => String) token!: string;
  @Field(() => String, { description: 'A link carrying the token, for the invitee to open while signed in.' }) inviteUrl!: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String) name!: string;
  @Field(() => [ApiKeyScopeEnum]) scopes!: ApiKeyScopeEnum[];
}

@ObjectType('ApiKey')
export class ApiKeyType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The first characters of the key, to tell keys apart.' }) prefix!: string;
  @Field(() => [ApiKeyScopeEnum]) scopes!: ApiKeyScopeEnum[];
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) lastUsedAt?: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) revokedAt?: Date | null;
}
export const ApiKeyConnection = ConnectionType('ApiKey', ApiKeyType, { totalCount: true });

@ObjectType({ description: 'The key is shown only here: store it now, it cannot be retrieved again.' })
export class CreatedApiKey {
  @Field(() => ApiKeyType) apiKey!: ApiKeyType;
  @Field(() => String) secret!: string;
}
