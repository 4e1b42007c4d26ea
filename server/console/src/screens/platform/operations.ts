// The screen's GraphQL documents, hand-written against schema/schema.graphql; server/src/app/console-screen-operations.test.ts
// validates them against the schema and the server's operation limits.

// PlatformScreen.tsx
export const PLATFORM = /* GraphQL */ `
  query ConsolePlatform($from: String!, $to: String!) {
    platformAnalytics(from: $from, to: $to) {
      from to tenants { tenantId tenantName plan bots conversations messages uniqueVisitors handedOffConversations leads costUsd }
    }
  }
`;
