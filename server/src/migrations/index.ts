import { Migration20261122000000Foundation } from './Migration20261122000000Foundation.ts';
import {
  Migration20261122010000RowLevelSecurity,
  TENANT_TABLES as BASE_TENANT_TABLES,
} from './Migration20261122010000RowLevelSecurity.ts';
import { IDENTITY_TENANT_TABLES, Migration20261122020000Identity } from './Migration20261122020000Identity.ts';
import { Migration20261122030000Plans, PLANS_TENANT_TABLES } from './Migration20261122030000Plans.ts';
import { Migration20261122040000RateLimits } from './Migration20261122040000RateLimits.ts';
import { AVATARS_TENANT_TABLES, Migration20261122050000Avatars } from './Migration20261122050000Avatars.ts';
import { Migration20261122060000BotVersions } from './Migration20261122060000BotVersions.ts';
import { Migration20261122070000KnowledgeSearch } from './Migration20261122070000KnowledgeSearch.ts';
import { INGESTION_TENANT_TABLES, Migration20261122080000Ingestion } from './Migration20261122080000Ingestion.ts';
import { EMBEDDING_TENANT_TABLES, Migration20261122090000EmbeddingModels } from './Migration20261122090000EmbeddingModels.ts';
import { Migration20261122120000Webhooks, WEBHOOKS_TENANT_TABLES } from './Migration20261122120000Webhooks.ts';
import { Migration20261122130000WidgetSessions } from './Migration20261122130000WidgetSessions.ts';
import { ANALYTICS_TENANT_TABLES, Migration20261122150000Analytics } from './Migration20261122150000Analytics.ts';
import { Migration20261122160000LeadForm } from './Migration20261122160000LeadForm.ts';
import { Migration20261207000000ReplyEventBatches } from './Migration20261207000000ReplyEventBatches.ts';
import { KNOWLEDGE_SEARCH_TENANT_TABLES, Migration20261207010000KnowledgeSearchStats } from './Migration20261207010000KnowledgeSearchStats.ts';
import { HANDOFF_AVAILABILITY_TENANT_TABLES, Migration20261207170000HandoffAvailability } from './Migration20261207170000HandoffAvailability.ts';
import { Migration20261207183000OrphanedReplies } from './Migration20261207183000OrphanedReplies.ts';
import { IDEMPOTENCY_TENANT_TABLES, Migration20261207210500IdempotencyKeys } from './Migration20261207210500IdempotencyKeys.ts';
import { Migration20261207200100ConversationHistory } from './Migration20261207200100ConversationHistory.ts';
import { Migration20261207230100BotLifecycle } from './Migration20261207230100BotLifecycle.ts';
import { Migration20261207240100SystemMessages } from './Migration20261207240100SystemMessages.ts';
import { Migration20261208002000LeadHandled } from './Migration20261208002000LeadHandled.ts';
import { AI_COSTS_BY_MODEL_TENANT_TABLES, Migration20261208002100AiCostsByModel } from './Migration20261208002100AiCostsByModel.ts';
import { Migration20261208003000WebsiteSources, WEBSITE_SOURCES_TENANT_TABLES } from './Migration20261208003000WebsiteSources.ts';
import { CURATED_ANSWERS_TENANT_TABLES, Migration20261208004000CuratedAnswers } from './Migration20261208004000CuratedAnswers.ts';
import { CONSOLE_INBOX_TENANT_TABLES, Migration20261208007000ConsoleInboxTools } from './Migration20261208007000ConsoleInboxTools.ts';
import { BLOB_TENANT_TABLES, Migration20261208006000SharedBlobs } from './Migration20261208006000SharedBlobs.ts';
import { Migration20261207220400PartnerHandoffAndLeadWebhooks } from './Migration20261207220400PartnerHandoffAndLeadWebhooks.ts';
import { CONVERSATION_EVENTS_TENANT_TABLES, Migration20261122100000ConversationEvents } from './Migration20261122100000ConversationEvents.ts';
import { HANDOFF_TENANT_TABLES, Migration20261122110000Handoff } from './Migration20261122110000Handoff.ts';
import { FEEDBACK_TENANT_TABLES, Migration20261207160000Feedback } from './Migration20261207160000Feedback.ts';

/** Every migration, oldest first. A new migration is appended here as well as added as a file. */
export const migrations = [
  Migration20261122000000Foundation,
  Migration20261122010000RowLevelSecurity,
  Migration20261122020000Identity,
  Migration20261122030000Plans,
  Migration20261122040000RateLimits,
  Migration20261122050000Avatars,
  Migration20261122060000BotVersions,
  Migration20261122070000KnowledgeSearch,
  Migration20261122080000Ingestion,
  Migration20261122090000EmbeddingModels,
  Migration20261122100000ConversationEvents,
  Migration20261122110000Handoff,
  Migration20261122120000Webhooks,
  Migration20261122130000WidgetSessions,
  Migration20261122150000Analytics,
  Migration20261122160000LeadForm,
  Migration20261207000000ReplyEventBatches,
  Migration20261207010000KnowledgeSearchStats,
  Migration20261207160000Feedback,
  Migration20261207170000HandoffAvailability,
  Migration20261207183000OrphanedReplies,
  Migration20261207200100ConversationHistory,
  Migration20261207210500IdempotencyKeys,
  Migration20261207220400PartnerHandoffAndLeadWebhooks,
  Migration20261207230100BotLifecycle,
  Migration20261207240100SystemMessages,
  Migration20261208002000LeadHandled,
  Migration20261208002100AiCostsByModel,
  Migration20261208003000WebsiteSources,
  Migration20261208004000CuratedAnswers,
  Migration20261208006000SharedBlobs,
  Migration20261208007000ConsoleInboxTools,
];

export { APP_ROLE } from './Migration20261122010000RowLevelSecurity.ts';

/** Every tenant-owned table; each has forced row-level security (a test checks the catalog agrees). */
export const TENANT_TABLES = [...BASE_TENANT_TABLES, ...IDENTITY_TENANT_TABLES, ...PLANS_TENANT_TABLES, ...AVATARS_TENANT_TABLES, ...INGESTION_TENANT_TABLES, ...EMBEDDING_TENANT_TABLES, ...CONVERSATION_EVENTS_TENANT_TABLES, ...HANDOFF_TENANT_TABLES, ...WEBHOOKS_TENANT_TABLES, ...ANALYTICS_TENANT_TABLES, ...KNOWLEDGE_SEARCH_TENANT_TABLES, ...FEEDBACK_TENANT_TABLES, ...HANDOFF_AVAILABILITY_TENANT_TABLES, ...IDEMPOTENCY_TENANT_TABLES, ...WEBSITE_SOURCES_TENANT_TABLES, ...CURATED_ANSWERS_TENANT_TABLES, ...BLOB_TENANT_TABLES, ...AI_COSTS_BY_MODEL_TENANT_TABLES, ...CONSOLE_INBOX_TENANT_TABLES];
