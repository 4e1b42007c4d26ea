/** The analytics screen's operations (schema/schema.graphql: botAnalytics, tenantAnalytics, analyticsCounters). */

const FIGURES = /* GraphQL */ `
  conversations messages visitorMessages uniqueVisitors ttftMedianMs ttftP95Ms handedOffConversations
  resolvedWithoutHandoffShare sentiment { positive neutral negative } leads unansweredQuestions costUsd
  feedback { helpfulAnswers unhelpfulAnswers helpfulShare csatResponses csatAverage csatSatisfiedShare csatDistribution }
`;

export const BOTS_QUERY = /* GraphQL */ `
  query ConsoleBots { bots(first: 100) { edges { node { id name } } } }
`;

export const BOT_REPORT_QUERY = /* GraphQL */ `
  query ConsoleBotAnalytics($botId: ID!, $from: String!, $to: String!) {
    botAnalytics(botId: $botId, from: $from, to: $to) { from to days { day ${FIGURES} } totals { ${FIGURES} } }
  }
`;

export const TENANT_REPORT_QUERY = /* GraphQL */ `
  query ConsoleTenantAnalytics($from: String!, $to: String!) {
    tenantAnalytics(from: $from, to: $to) { from to days { day ${FIGURES} } totals { ${FIGURES} } }
  }
`;

export const COUNTERS_SUBSCRIPTION = /* GraphQL */ `
  subscription ConsoleAnalyticsCounters($botId: ID!) {
    analyticsCounters(botId: $botId) { day conversations messages uniqueVisitors handedOffConversations leads }
  }
`;

export interface Figures {
  conversations: number;
  messages: number;
  visitorMessages: number;
  uniqueVisitors: number;
  ttftMedianMs: number | null;
  ttftP95Ms: number | null;
  handedOffConversations: number;
  resolvedWithoutHandoffShare: number | null;
  sentiment: { positive: number; neutral: number; negative: number };
  leads: number;
  unansweredQuestions: number;
  costUsd: number;
  feedback: {
    helpfulAnswers: number;
    unhelpfulAnswers: number;
    helpfulShare: number | null;
    csatResponses: number;
    csatAverage: number | null;
    csatSatisfiedShare: number | null;
    csatDistribution: number[];
  };
}

export interface Report {
  from: string;
  to: string;
  days: (Figures & { day: string })[];
  totals: Figures;
}

export interface BotSummary {
  id: string;
  name: string;
}

export interface TodayCounters {
  day: string;
  conversations: number;
  messages: number;
  uniqueVisitors: number;
  handedOffConversations: number;
  leads: number;
}

export const COSTS_BY_MODEL_QUERY = /* GraphQL */ `
  query ConsoleCostsByModel($botId: ID, $from: String!, $to: String!) {
    costsByModel(botId: $botId, from: $from, to: $to) { provider model replies inputTokens outputTokens costUsd }
  }
`;

export interface ModelCost {
  provider: string;
  model: string;
  replies: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}
