// The screen's GraphQL documents, hand-written against schema/schema.graphql; server/src/app/console-screen-operations.test.ts
// validates them against the schema and the server's operation limits.

// MembersTab.tsx
export const MEMBERS = /* GraphQL */ `query ConsoleMembers { members(first: 100) { totalCount edges { node { userId email role createdAt } } } }`;
export const INVITE = /* GraphQL */ `
  mutation ConsoleInvite($input: InviteMemberInput!) { inviteMember(input: $input) { inviteUrl invitation { id email role expiresAt } } }
`;
export const UPDATE_ROLE = /* GraphQL */ `mutation ConsoleMemberRole($userId: ID!, $role: MemberRole!) { updateMemberRole(userId: $userId, role: $role) { userId role } }`;
export const REMOVE = /* GraphQL */ `mutation ConsoleRemoveMember($userId: ID!) { removeMember(userId: $userId) }`;
export const INVITATIONS = /* GraphQL */ `query ConsoleInvitations { invitations(first: 50) { totalCount edges { node { id email role expiresAt } } } }`;
export const REVOKE_INVITATION = /* GraphQL */ `mutation ConsoleRevokeInvitation($id: ID!) { revokeInvitation(id: $id) }`;

// ApiKeysTab.tsx
export const API_KEYS = /* GraphQL */ `query ConsoleApiKeys { apiKeys(first: 100) { edges { node { id name prefix scopes createdAt lastUsedAt revokedAt } } } }`;
export const CREATE_API_KEY = /* GraphQL */ `
  mutation ConsoleCreateKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id name prefix scopes createdAt lastUsedAt revokedAt } } }
`;
export const REVOKE_API_KEY = /* GraphQL */ `mutation ConsoleRevokeKey($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;

// WebhooksTab.tsx
const ENDPOINT_FIELDS = 'id url description eventTypes enabled disabledReason activeSecrets includeLeadDetails createdAt';
export const WEBHOOK_ENDPOINTS = /* GraphQL */ `query ConsoleWebhookEndpoints { webhookEndpoints(first: 100) { edges { node { ${ENDPOINT_FIELDS} } } } }`;
export const WEBHOOK_DELIVERIES = /* GraphQL */ `
  query ConsoleWebhookDeliveries($endpointId: ID!) {
    webhookDeliveries(endpointId: $endpointId, first: 25) { edges { node { id eventType status attempts lastStatusCode lastError createdAt deliveredAt nextAttemptAt } } }
  }
`;
export const WEBHOOK_ATTEMPTS = /* GraphQL */ `query ConsoleWebhookAttempts($deliveryId: ID!) { webhookAttempts(deliveryId: $deliveryId) { attempt createdAt durationMs statusCode error } }`;
export const CREATE_WEBHOOK = /* GraphQL */ `mutation ConsoleCreateWebhook($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } } }`;
export const UPDATE_WEBHOOK = /* GraphQL */ `mutation ConsoleUpdateWebhook($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} } }`;
export const DELETE_WEBHOOK = /* GraphQL */ `mutation ConsoleDeleteWebhook($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
export const TEST_WEBHOOK = /* GraphQL */ `mutation ConsoleTestWebhook($endpointId: ID!) { sendTestWebhookEvent(endpointId: $endpointId) { id status } }`;
export const ROTATE_WEBHOOK_SECRET = /* GraphQL */ `mutation ConsoleRotateWebhookSecret($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { ${ENDPOINT_FIELDS} } } }`;
export const REPLAY_DELIVERY = /* GraphQL */ `mutation ConsoleReplayWebhook($deliveryId: ID!) { replayWebhookDelivery(deliveryId: $deliveryId) { id status attempts } }`;

// AuditLogTab.tsx
// Two small queries rather than one: together they would pass the API's query cost limit.
export const AUDIT = /* GraphQL */ `
  query ConsoleAuditLog($after: String) {
    auditLog(first: 30, after: $after) { totalCount edges { node { id action actorType actorId targetType targetId ip createdAt } } pageInfo { hasNextPage endCursor } }
  }
`;
export const MEMBER_EMAILS = /* GraphQL */ `query ConsoleAuditMembers { members(first: 100) { edges { node { userId email } } } }`;

// PlanUsageTab.tsx
export const USAGE = /* GraphQL */ `
  query ConsoleUsage {
    usage { plan period resetsAt messages { used limit } bots { used limit } knowledgeBytes { used limit } aiSpendMicroUsd { used limit } }
  }
`;

// CannedRepliesTab.tsx (the list is the Inbox's CANNED_REPLIES)
export const CREATE_CANNED_REPLY = /* GraphQL */ `
  mutation ConsoleCreateCannedReply($input: CannedReplyInput!) { createCannedReply(input: $input) { id shortcut text } }
`;
export const UPDATE_CANNED_REPLY = /* GraphQL */ `
  mutation ConsoleUpdateCannedReply($id: ID!, $input: CannedReplyInput!) { updateCannedReply(id: $id, input: $input) { id shortcut text } }
`;
export const DELETE_CANNED_REPLY = /* GraphQL */ `mutation ConsoleDeleteCannedReply($id: ID!) { deleteCannedReply(id: $id) }`;
