import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { MessageBus } from '../core/bus/index.ts';
import { busPubSub } from '../core/graphql/index.ts';
import { BotLifecycleResolver, BotsResolver, type BotLifecycleService, type BotsService } from '../modules/bots/index.ts';
import {
  ConversationHistoryResolver,
  FeedbackResolver,
  CannedRepliesResolver,
  CannedRepliesService,
  ConversationClosingService,
  ConversationNotesService,
  ConversationTeamResolver,
  LeadsResolver,
  TranscriptResolver,
  createAgentResolver,
  createTypingIndicatorsResolver,
  TypingIndicators,
  createConversationsResolver,
  createHandoffResolver,
  createDraftPreviewResolver,
  type ConversationHistoryService,
  type ConversationsService,
  type DraftPreviewService,
  type FeedbackService,
  type HandoffService,
  type LeadsService,
  type TranscriptService,
  type BotUsageService,
} from '../modules/conversations/index.ts';
import { AuditResolver, type AuditService } from '../modules/audit/index.ts';
import { createAnalyticsResolver, type AnalyticsService } from '../modules/analytics/index.ts';
import { AvatarsResolver, type AvatarsService } from '../modules/avatars/index.ts';
import {
  ApiKeysResolver,
  IdentityResolver,
  MembersResolver,
  type ApiKeysService,
  type IdentityService,
  type MembersService,
  type SessionService,
} from '../modules/identity/index.ts';
import {
  CuratedAnswersResolver,
  WebsiteSourcesResolver,
  KnowledgeDocumentRefsResolver,
  KnowledgeDocumentsResolver,
  KnowledgeResolver,
  createIngestionResolver,
  type CuratedAnswersService,
  type WebsiteSourcesService,
  type IngestionService,
  type KnowledgeService,
} from '../modules/knowledge/index.ts';
import { VisitorPrivacyResolver, type VisitorPrivacyService } from '../modules/privacy/index.ts';
import { TenantsResolver, type UsageService } from '../modules/tenants/index.ts';
import { WebhooksResolver, type WebhooksService } from '../modules/webhooks/index.ts';

export interface SchemaServices {
  identity: IdentityService;
  sessions: SessionService;
  members: MembersService;
  apiKeys: ApiKeysService;
  audit: AuditService;
  usage: UsageService;
  avatars: AvatarsService;
  /** Base URL for links the API hands out (invitations); known once the server listens. */
  publicUrl: () => string;
  bots: BotsService;
  /** Archiving, deleting and restoring bots. */
  botLifecycle: BotLifecycleService;
  /** GDPR export and erasure of one visitor. */
  privacy: VisitorPrivacyService;
  knowledge: KnowledgeService;
  /** Team-written answers in bots' drafts (knowledge/curated-answers). */
  curatedAnswers: CuratedAnswersService;
  /** Websites as knowledge sources of bots. */
  websiteSources: WebsiteSourcesService;
  ingestion: IngestionService;
  bus: MessageBus;
  conversations: ConversationsService;
  /** Per-bot daily usage roll-ups (reads flush the counters this process has not written yet). */
  botUsage: BotUsageService;
  /** Designers' test replies from a draft (Studio's server chat). */
  preview: DraftPreviewService;
  handoff: HandoffService;
  leads: LeadsService;
  feedback: FeedbackService;
  transcripts: TranscriptService;
  /** Conversations and transcripts as members and partners read them, and a visitor's own history. */
  history: ConversationHistoryService;
  webhooks: WebhooksService;
  analytics: AnalyticsService;
}

/** The executable schema: every module's resolver, instantiated with its service. */
export async function buildMascotSchema(services: SchemaServices): Promise<GraphQLSchema> {
  const ConversationsResolver = createConversationsResolver(services.conversations, services.botUsage);
  const AgentResolver = createAgentResolver(services.handoff);
  const HandoffResolver = createHandoffResolver(services.handoff);
  const TypingIndicatorsResolver = createTypingIndicatorsResolver(new TypingIndicators(services.bus));
  const AnalyticsResolver = createAnalyticsResolver({ analytics: services.analytics, bus: services.bus });
  const DraftPreviewResolver = createDraftPreviewResolver(services.preview);
  const IngestionResolver = createIngestionResolver({
    ingestion: services.ingestion,
    bots: services.bots,
    bus: services.bus,
    publicUrl: services.publicUrl,
  });
  const instances = new Map<unknown, unknown>([
    [IdentityResolver, new IdentityResolver(services.identity, services.sessions)],
    [MembersResolver, new MembersResolver(services.members, services.publicUrl)],
    [ApiKeysResolver, new ApiKeysResolver(services.apiKeys)],
    [AuditResolver, new AuditResolver(services.audit)],
    [TenantsResolver, new TenantsResolver(services.usage)],
    [AvatarsResolver, new AvatarsResolver(services.avatars)],
    [BotsResolver, new BotsResolver(services.bots)],
    [BotLifecycleResolver, new BotLifecycleResolver(services.botLifecycle)],
    [KnowledgeDocumentRefsResolver, new KnowledgeDocumentRefsResolver()],
    [VisitorPrivacyResolver, new VisitorPrivacyResolver(services.privacy)],
    [KnowledgeResolver, new KnowledgeResolver(services.knowledge)],
    [KnowledgeDocumentsResolver, new KnowledgeDocumentsResolver(services.audit, services.bots)],
    [CuratedAnswersResolver, new CuratedAnswersResolver(services.curatedAnswers)],
    [WebsiteSourcesResolver, new WebsiteSourcesResolver(services.websiteSources)],
    [DraftPreviewResolver, new DraftPreviewResolver()],
    [ConversationsResolver, new ConversationsResolver()],
    [AgentResolver, new AgentResolver()],
    [HandoffResolver, new HandoffResolver()],
    [TypingIndicatorsResolver, new TypingIndicatorsResolver()],
    [LeadsResolver, new LeadsResolver(services.leads)],
    [FeedbackResolver, new FeedbackResolver(services.feedback)],
    [TranscriptResolver, new TranscriptResolver(services.transcripts)],
    [ConversationHistoryResolver, new ConversationHistoryResolver(services.history)],
    [ConversationTeamResolver, new ConversationTeamResolver(new ConversationNotesService(), new ConversationClosingService(services.handoff, services.history, services.audit))],
    [CannedRepliesResolver, new CannedRepliesResolver(new CannedRepliesService(services.audit))],
    [IngestionResolver, new IngestionResolver()],
    [WebhooksResolver, new WebhooksResolver(services.webhooks)],
    [AnalyticsResolver, new AnalyticsResolver()],
  ]);
  return buildSchema({
    resolvers: [IdentityResolver, MembersResolver, ApiKeysResolver, AuditResolver, TenantsResolver, AvatarsResolver, BotsResolver, BotLifecycleResolver, KnowledgeResolver, KnowledgeDocumentRefsResolver, KnowledgeDocumentsResolver, CuratedAnswersResolver, WebsiteSourcesResolver, IngestionResolver, ConversationsResolver, AgentResolver, HandoffResolver, DraftPreviewResolver, LeadsResolver, FeedbackResolver, TranscriptResolver, ConversationHistoryResolver, ConversationTeamResolver, CannedRepliesResolver, TypingIndicatorsResolver, WebhooksResolver, AnalyticsResolver, VisitorPrivacyResolver],
    container: { get: (someClass) => instances.get(someClass) },
    // Input is validated by the services (zod), where the rules live next to the domain.
    validate: false,
    pubSub: busPubSub(services.bus),
  });
}
