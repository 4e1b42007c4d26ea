// The screen's GraphQL documents, hand-written against schema/schema.graphql; server/src/app/console-screen-operations.test.ts
// validates them against the schema and the server's operation limits.

// KnowledgeGapsScreen.tsx
export const BOTS = /* GraphQL */ `query ConsoleGapBots { bots(first: 100) { edges { node { id name } } } }`;
export const GAPS = /* GraphQL */ `
  query ConsoleKnowledgeGaps($botId: ID!, $from: String!, $to: String!) {
    topQuestions(botId: $botId, from: $from, to: $to, limit: 50) { representative asked unanswered variants }
    curatedAnswers(botId: $botId, first: 100) { edges { node { id question paraphrases } } }
  }
`;
export const ASKED_IN = /* GraphQL */ `
  query ConsoleGapConversations($filter: ConversationFilter) {
    conversations(filter: $filter, first: 5, orderBy: { field: LAST_MESSAGE_AT, direction: DESC }) {
      totalCount edges { node { id startedAt messageCount } }
    }
  }
`;
export const CREATE_ANSWER = /* GraphQL */ `
  mutation ConsoleAnswerGap($botId: ID!, $input: CuratedAnswerInput!) { createCuratedAnswer(botId: $botId, input: $input) { id question paraphrases } }
`;
export const PUBLISH = /* GraphQL */ `mutation ConsolePublishBot($botId: ID!) { publishBot(botId: $botId) { id number } }`;
