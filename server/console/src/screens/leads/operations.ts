// The screen's GraphQL documents, hand-written against schema/schema.graphql; server/src/app/console-screen-operations.test.ts
// validates them against the schema and the server's operation limits.

// LeadsScreen.tsx
const LEAD_FIELDS = 'id botId conversationId name email phone wantsContact consentedAt createdAt handledAt handledByUserId handledByApiKeyId';
export const LEADS_QUERY = /* GraphQL */ `
  query ConsoleLeads($botId: ID, $filter: LeadFilterInput, $first: Int, $after: String) {
    leads(botId: $botId, filter: $filter, first: $first, after: $after) {
      totalCount edges { node { ${LEAD_FIELDS} } } pageInfo { hasNextPage endCursor }
    }
  }
`;
export const CONTEXT_QUERY = /* GraphQL */ `
  query ConsoleLeadsContext { bots(first: 100) { edges { node { id name } } } members(first: 100) { edges { node { userId email } } } }
`;
export const MARK_HANDLED = /* GraphQL */ `
  mutation ConsoleMarkLeadHandled($id: ID!, $handled: Boolean!) { markLeadHandled(id: $id, handled: $handled) { ${LEAD_FIELDS} } }
`;
