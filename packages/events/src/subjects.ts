/**
 * The NATS subject catalogue. Every subject starts with the tenant so that a subscriber
 * can be confined to one tenant by subject permissions, and a wildcard can never cross tenants.
 * The exception are the `cluster.` subjects, which only server instances use among themselves
 * (no client is ever given them), named per installation so installations sharing a NATS stay apart.
 */
const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

function token(kind: string, value: string): string {
  // A dot or wildcard inside an id would let a subject address more than it names.
  if (!ID_PATTERN.test(value)) throw new Error(`Invalid ${kind} id for a subject: ${JSON.stringify(value)}`);
  return value;
}

export const subjects = {
  /** Reply events (started, deltas, completed, failed) of one conversation. Ephemeral, core NATS. */
  conversationReply: (tenantId: string, conversationId: string): string =>
    `tenant.${token('tenant', tenantId)}.conversation.${token('conversation', conversationId)}.reply`,
  /**
   * The visitor opened or closed a conversationEvents subscription. The instance producing a reply
   * listens, so a visitor who leaves stops the provider stream (after a grace period for reconnects).
   */
  conversationPresence: (tenantId: string, conversationId: string): string =>
    `tenant.${token('tenant', tenantId)}.conversation.${token('conversation', conversationId)}.presence`,
  /**
   * A resuming subscriber asks the instances producing a reply of the conversation for the events they
   * published but have not stored yet (the in-flight tail; see REPLY-PATH.md). Answers go to `replyTailAnswer`.
   */
  replyTailRequest: (tenantId: string, conversationId: string): string =>
    `tenant.${token('tenant', tenantId)}.conversation.${token('conversation', conversationId)}.tail`,
  /** The answers to one tail request, read only by the subscriber that asked. */
  replyTailAnswer: (tenantId: string, conversationId: string, requestId: string): string =>
    `tenant.${token('tenant', tenantId)}.conversation.${token('conversation', conversationId)}.tail.${token('request', requestId)}`,
  /**
   * Who is typing in a conversation: the visitor, or the agent holding it. Ephemeral, core NATS, never logged
   * (server/src/modules/conversations/typing-indicators.ts).
   */
  conversationTyping: (tenantId: string, conversationId: string): string =>
    `tenant.${token('tenant', tenantId)}.conversation.${token('conversation', conversationId)}.typing`,
  /** A bot version went live (publish or rollback). Consumers: caches, webhooks, analytics. */
  botPublished: (tenantId: string, botId: string): string =>
    `tenant.${token('tenant', tenantId)}.bot.${token('bot', botId)}.published`,
  /**
   * The tenant's handoff queue: conversations starting to wait for a person, taken over, handed back,
   * and visitor messages while people handle them. Agents of the tenant subscribe. Ephemeral, core NATS.
   */
  handoffQueue: (tenantId: string): string => `tenant.${token('tenant', tenantId)}.handoff`,
  /**
   * Agents' presence: an agent's queue subscription started or ended, and probes asking who is online
   * (answered by every instance holding such a subscription). Ephemeral, core NATS.
   */
  agentPresence: (tenantId: string): string => `tenant.${token('tenant', tenantId)}.agents.presence`,
  /** A lead was captured or updated with new contact details (ids only; the details stay in the database). */
  leadCaptured: (tenantId: string): string => `tenant.${token('tenant', tenantId)}.lead.captured`,
  /**
   * A bot's analytics counters changed (sent after the change committed; carries no figures — live
   * subscribers read them from the database, so a lost or repeated notice costs nothing).
   */
  botAnalytics: (tenantId: string, botId: string): string =>
    `tenant.${token('tenant', tenantId)}.bot.${token('bot', botId)}.analytics`,
  /** Progress of knowledge ingestion jobs of one bot (queued, running with progress, finished). */
  knowledgeIngestion: (tenantId: string, botId: string): string =>
    `tenant.${token('tenant', tenantId)}.bot.${token('bot', botId)}.ingestion`,
  /** Server instances' rate-limit counts, so every instance answers limits from memory with cluster totals. */
  clusterRateLimits: (installation: string): string => `cluster.${token('installation', installation || 'default')}.rate-limits`,
  /** Revoked keys, ended sessions and changed memberships: every instance drops what it cached of them. */
  clusterIdentity: (installation: string): string => `cluster.${token('installation', installation || 'default')}.identity`,
  /** A tenant's webhook endpoints changed: every instance drops what it cached of which events they take. */
  clusterWebhookRoutes: (installation: string): string => `cluster.${token('installation', installation || 'default')}.webhook-routes`,
} as const;
