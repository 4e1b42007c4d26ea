// type-graphql's decorators need the Reflect metadata API before any resolver module loads.
import 'reflect-metadata';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { subjects } from '@mascot/events';
import express from 'express';
import { connectNatsBus, createInProcessBus, type MessageBus } from '../core/bus/index.ts';
import { connectJetStreamJobQueue, createInProcessJobQueue, type JobQueue } from '../core/jobs/index.ts';
import { loadOrCreateLocalSecret, type MascotConfig } from '../core/config/index.ts';
import { createSecretBox } from '../core/crypto/index.ts';
import { DeferredCounters, SideReads, connectOrm, startEmbeddedPostgres, type EmbeddedPostgres, type MikroORM } from '../core/db/index.ts';
import { requestIdMiddleware } from '../core/graphql/index.ts';
import { baseSecurityHeaders, createUploadSigner, healthRoutes, jsonErrorHandler, jsonNotFound } from '../core/http/index.ts';
import { createServerLogger, type Logger } from '../core/logging/index.ts';
import { continueIncomingTrace, startTracing } from '../core/telemetry/index.ts';
import { createMetrics, metricsRoute, type Metrics } from '../core/metrics/index.ts';
import { OutboundPolicy } from '../core/outbound/index.ts';
import { createClientAddress, createRateLimits, type PgPool, type RateLimitConfig, type RateLimits } from '../core/rate-limit/index.ts';
import { APP_ROLE, migrations } from '../migrations/index.ts';
import { CompatibleEndpoints, createOfflineProvider, createProviderRouter, type AiProvider } from '../modules/ai/index.ts';
import { BotLifecycleService, BotsService, startBotPurges } from '../modules/bots/index.ts';
import {
  AgentPresence,
  AnswerCache,
  BotUsageService,
  ConversationEventLog,
  ConversationsService,
  DraftPreviewService,
  HandoffService,
  LeadsService,
  FeedbackService,
  TranscriptService,
  ConversationHistoryService,
  TranscriptExportService,
  transcriptExportRoutes,
  ReplyPipeline,
  WidgetEmbedService,
  startConversationRetention,
  startOrphanedReplySweeps,
  startHandoffTimeouts,
} from '../modules/conversations/index.ts';
import {
  ApiKeysService,
  IdentityService,
  MembersService,
  SessionService,
  IdentityCache,
  createAuthenticator,
  createTokenService,
  type AgentDepartureHandler,
  type TokenService,
} from '../modules/identity/index.ts';
import { AuditService } from '../modules/audit/index.ts';
import { AnalyticsRecorder, AnalyticsService, analyticsRoutes, forgetVisitorAnalytics, withAnalytics } from '../modules/analytics/index.ts';
import { VisitorPrivacyService } from '../modules/privacy/index.ts';
import { CuratedAnswersService, EmbeddingProviders, INGESTION_QUEUE, IngestionService, KnowledgeService, knowledgeUploadRoutes } from '../modules/knowledge/index.ts';
import { WebsiteSourcesService, startWebsiteSyncs } from '../modules/knowledge/index.ts';
import { UsageService } from '../modules/tenants/index.ts';
import { DEFAULT_RETRY_SCHEDULE_MS, WebhookRoutes, WebhookWorker, WebhooksService } from '../modules/webhooks/index.ts';
import { AvatarsService, avatarRoutes, createBlobAvatarStorage, importLocalAvatarFiles, loadBuiltinAvatars } from '../modules/avatars/index.ts';
import { createBlobStore } from '../core/storage/index.ts';
import { buildMascotSchema } from './build-schema.ts';
import { mountGraphQL } from './graphql-transport.ts';
import { demoPageRoute } from './demo-page.ts';
import { seedDemo, type DemoSeed } from './demo-seed.ts';
import { entities } from './entities.ts';
import { explorerRoutes } from './explorer-routes.ts';
import { consoleRoutes } from './console-routes.ts';
import { widgetRoutes } from './widget-routes.ts';

/** How long subscribers get to receive the final events of drained replies during shutdown. */
const SUBSCRIPTION_SETTLE_MS = 300;
/** Connections for reads beside a held transaction (retrieval's full-text search): one per reply retrieving at once. */
const SIDE_READ_CONNECTIONS = 5;

export interface StartOptions {
  /** Tests keep the embedded database in memory; the app persists it under the data directory. */
  embeddedStorage?: 'disk' | 'memory';
  /** A migrated embedded database to start from (tests; see startEmbeddedPostgres). */
  embeddedSnapshot?: Blob;
  logger?: Logger;
  /** Replaces the AI provider (tests of provider behaviour). */
  provider?: AiProvider;
  /** Overrides rate limits (tests use generous or tiny ones); production uses DEFAULT_RATE_LIMITS. */
  rateLimits?: Partial<RateLimitConfig>;
  /** The plans' visitor message budgets (plans.ts `visitorMessages`); on unless false (test suites and load benches chat from one address). */
  visitorBudgets?: boolean;
}

export interface MascotServer {
  url: string;
  graphqlUrl: string;
  websocketUrl: string;
  demo: DemoSeed | undefined;
  /** The owner's connection URL (migrations, tests); the server itself runs as the app role. */
  databaseUrl: string;
  orm: MikroORM;
  bus: MessageBus;
  tokens: TokenService;
  logger: Logger;
  metrics: Metrics;
  /** This instance's view of the rate limits (operations, tests). */
  rateLimits: RateLimits;
  /** This instance's identity cache: announcing a change here reaches every instance (tests of revocation paths). */
  identityCache: Pick<IdentityCache, 'announce'>;
  /** Shared counters written once a second; `flush()` stores what this instance counted so far (tests, reports). */
  counters: Pick<DeferredCounters, 'flush'>;
  /** Graceful stop: no new connections, in-flight replies finish (within the grace period), then close. */
  close(): Promise<void>;
}

/** Composes config → database → bus → services → schema → HTTP + graphql-ws, and starts listening. */
export async function startMascotServer(config: MascotConfig, options: StartOptions = {}): Promise<MascotServer> {
  const logger = options.logger ?? createServerLogger(config);
  const cleanups: (() => Promise<void>)[] = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.warn({ err: error }, 'cleanup step failed');
      }
    }
  };

  try {
    // First in, last out: spans of the whole shutdown are still sent. Off (nothing loaded) without OTEL_* settings.
    const tracing = await startTracing(config.telemetry, logger);
    cleanups.push(() => tracing.stop());
    let embedded: EmbeddedPostgres | undefined;
    if (!config.databaseUrl) {
      const dataDir = options.embeddedStorage === 'memory' ? undefined : path.join(config.dataDir, 'pglite');
      embedded = await startEmbeddedPostgres({ dataDir, snapshot: options.embeddedSnapshot });
      cleanups.push(() => embedded!.stop());
      logger.info({ dataDir: dataDir ?? 'memory' }, 'embedded PostgreSQL (PGlite + pgvector) started');
    }
    const databaseUrl = config.databaseUrl ?? embedded!.url;
    const orm = await connectOrm({ url: databaseUrl, entities, migrations, appRole: APP_ROLE, logger, sharedDatabase: !embedded });
    cleanups.push(() => orm.close(true));
    // Files every instance sees (avatars, knowledge uploads): this database by default, or S3 (core/storage).
    const blobs = createBlobStore(config.storage, orm);
    cleanups.push(() => blobs.close());
    // Retrieval's full-text search runs beside the reply's transaction on a pool of its own, and replies
    // take their seq leases there in one round trip (core/db/side-reads.ts); PGlite runs one transaction
    // at a time, so real PostgreSQL only.
    const sideReads = embedded ? undefined : new SideReads({ url: databaseUrl, appRole: APP_ROLE, size: SIDE_READ_CONNECTIONS, logger });
    if (sideReads) cleanups.push(() => sideReads.close());

    const bus = config.natsUrl ? await connectNatsBus(config.natsUrl, logger) : createInProcessBus();
    cleanups.push(() => bus.close());
    // Durable background work; closed before the bus and the ORM (cleanups run in reverse), since
    // running jobs still need both.
    const jobs: JobQueue = config.natsUrl
      ? await connectJetStreamJobQueue(config.natsUrl, {
          logger,
          shutdownGraceMs: config.shutdownGraceMs,
          streamReplicas: config.jobsStreamReplicas,
          ...(config.jobsNamespace
            ? { streamName: `MASCOT_JOBS_${config.jobsNamespace.toUpperCase()}`, subjectPrefix: `jobs-${config.jobsNamespace}` }
            : {}),
        })
      : createInProcessJobQueue({ logger, shutdownGraceMs: config.shutdownGraceMs });
    cleanups.push(() => jobs.close());

    const jwtSecret = config.jwtSecret ?? (await loadOrCreateLocalSecret(config.dataDir, 'jwt'));
    const tokens = createTokenService(jwtSecret, config.accessTokenTtlSeconds);
    // Request budgets are counted in memory and shared over the bus; sign-in budgets in PostgreSQL.
    const rateLimits = createRateLimits({
      pool: (await orm.em.getConnection().getNativeClient()) as PgPool,
      appRole: APP_ROLE,
      bus,
      syncSubject: subjects.clusterRateLimits(config.jobsNamespace),
      ...(options.rateLimits ? { config: options.rateLimits } : {}),
      onStoreError: (error) => logger.warn({ err: error }, 'rate limit store or bus unavailable; counting in memory'),
    });
    cleanups.push(() => rateLimits.close());
    await rateLimits.started;
    // Members' sessions and API keys as last read, dropped on every instance when they change.
    const identityCache = new IdentityCache({ bus, subject: subjects.clusterIdentity(config.jobsNamespace), logger });
    await identityCache.start();
    cleanups.push(async () => identityCache.close());

    const metrics = createMetrics();
    metrics.gaugeOnScrape('mascot_queue_depth', 'Work waiting in durable queues, across tenants.', ['queue'], async () => {
      const em = orm.em.fork();
      const [ingestion] = await em.execute<{ depth: number }[]>('select count(*)::int as depth from mascot_unfinished_ingestion_jobs()');
      const [webhooks] = await em.execute<{ depth: number }[]>('select mascot_webhook_backlog()::int as depth');
      return [
        { labels: { queue: 'ingestion' }, value: ingestion?.depth ?? 0 },
        { labels: { queue: 'webhooks' }, value: webhooks?.depth ?? 0 },
      ];
    });
    const audit = new AuditService();
    // Every URL a tenant chooses (webhooks, OpenAI-compatible base URLs) is fetched through this policy.
    const outbound = new OutboundPolicy({ allowPrivate: config.outbound.allowedPrivate });
    cleanups.push(() => outbound.close());
    const compatibleEndpoints = new CompatibleEndpoints(config.ai.openaiCompatible, outbound);
    cleanups.push(() => compatibleEndpoints.close());
    // Webhook signing secrets are sealed at rest; every instance derives the same key.
    const secretBox = createSecretBox(config.secretsKey ?? jwtSecret, 'webhook-secrets');
    const webhookWorker = new WebhookWorker(orm, secretBox, logger, {
      retryScheduleMs: config.webhooks.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS,
      pollIntervalMs: config.webhooks.pollIntervalMs,
      timeoutMs: config.webhooks.timeoutMs,
      outbound,
    });
    // Which events each tenant's endpoints take, cached and invalidated over the bus like identities.
    const webhookRoutes = new WebhookRoutes({ bus, subject: subjects.clusterWebhookRoutes(config.jobsNamespace), logger });
    await webhookRoutes.start();
    cleanups.push(async () => webhookRoutes.close());
    const webhooks = new WebhooksService(secretBox, audit, outbound, () => webhookWorker.nudge(), webhookRoutes);
    // Conversation events are counted for analytics in the same transaction that queues them for webhooks.
    // Counters many messages add to (daily analytics and usage, monthly AI spend), written once a second.
    const counters = new DeferredCounters(orm, logger);
    cleanups.push(() => counters.close());
    const conversationOutbox = withAnalytics(webhooks, new AnalyticsRecorder(bus, logger, counters));
    const analytics = new AnalyticsService(counters);
    const sessions = new SessionService(tokens, audit, identityCache);
    const identity = new IdentityService(sessions, audit, rateLimits);
    // Known once the server listens (or configured); read lazily by whatever hands out links.
    let publicUrl = config.publicUrl ?? '';
    // Visitor message budgets (plans.ts) are counted with the request budgets: in memory, across instances.
    const usage = new UsageService(counters, options.visitorBudgets === false ? undefined : rateLimits);
    const avatarStorage = createBlobAvatarStorage(blobs);
    // Upgrades: avatars older versions kept in the data directory move to the shared store once.
    await importLocalAvatarFiles(path.join(config.dataDir, 'avatars'), avatarStorage, logger);
    const avatars = new AvatarsService({
      storage: avatarStorage,
      builtins: await loadBuiltinAvatars(),
      uploadSecret: jwtSecret,
      publicUrl: () => publicUrl,
      processingLimits: config.untrustedFiles.avatars,
    });
    const bots: BotsService = new BotsService(
      (tx, botId) => knowledge.documentIdsForSnapshot(tx, botId),
      audit,
      usage,
      bus,
      async (tx, avatar) => {
        const model = avatar.kind === 'builtin' ? avatars.builtinAvatar(avatar.id) : await avatars.findByContentHash(tx, avatar.assetHash);
        return model ? { contentHash: model.contentHash, clipNames: model.clipNames } : null;
      },
      (baseUrl, field) => compatibleEndpoints.assertAllowed(baseUrl, field),
      webhooks,
    );
    const botLifecycle = new BotLifecycleService(audit, usage, { deletionGraceMs: config.botDeletion.graceMs });
    // Deleted bots past their grace period are purged by durable jobs, looked for on every instance.
    cleanups.push(await startBotPurges({ orm, jobs, lifecycle: botLifecycle, logger, sweepMs: config.botDeletion.sweepMs }));
    const knowledge = new KnowledgeService(bots, usage, new EmbeddingProviders(config.embeddings), webhooks, sideReads);
    const knowledgeUploads = createUploadSigner(jwtSecret, 'knowledge');
    const ingestion = new IngestionService(orm, bots, knowledge, jobs, bus, knowledgeUploads, logger, config.untrustedFiles.knowledge, blobs);
    cleanups.push(async () => ingestion.close());
    await jobs.consume(INGESTION_QUEUE, (job) => ingestion.process(job.payload), {
      concurrency: 2,
      onDeadLetter: (payload, error) => ingestion.failUnrecoverable(payload, error),
    });
    const resumed = await ingestion.resumeUnfinished(orm.em.fork());
    if (resumed > 0) logger.info({ jobs: resumed }, 'resumed unfinished ingestion jobs');
    // Websites as knowledge: durable sync jobs, re-synced on schedule by a sweep on every instance; every fetch through the outbound policy.
    const websiteSources = new WebsiteSourcesService(bots, outbound, jobs, bus, audit, logger);
    cleanups.push(await startWebsiteSyncs({
      orm, jobs, knowledge, policy: outbound, bus, logger, parsing: config.untrustedFiles.knowledge,
      limits: { sweepMs: config.websiteSync.sweepMs, maxBytes: config.websiteSync.maxPageBytes, timeoutMs: config.websiteSync.fetchTimeoutMs, maxRedirects: 5 },
    }));
    // One provider for the pipeline: the router walks each bot's chain (OpenAI, Anthropic, compatible
    // endpoints, offline) with fallback, retries and circuit breakers; offline is its last resort.
    const provider = options.provider ?? createProviderRouter({
      ai: config.ai,
      offline: createOfflineProvider({ tokenDelayMs: config.offlineTokenDelayMs }),
      compatible: compatibleEndpoints,
      logger,
      onProviderError: (labels) => metrics.providerError(labels),
    });
    const conversationEvents = new ConversationEventLog(orm, bus, logger, { storeAfterMs: config.replyStoreAfterMs, ...(sideReads ? { sideReads } : {}) });
    const leads = new LeadsService(bots, bus, logger, conversationOutbox, audit);
    const feedback = new FeedbackService(conversationOutbox, bots);
    const transcripts = new TranscriptService();
    const history = new ConversationHistoryService();
    // Agents are online while their agent client follows the queue; waits nobody takes end by a durable job.
    const handoffChannels = { events: conversationEvents, bus, logger, outbox: conversationOutbox, presence: new AgentPresence(bus, logger), jobs };
    const handoff = new HandoffService(handoffChannels, leads, audit);
    // A revoked key or a removed (or demoted) member hands back the conversations it held, in the same transaction.
    const departures: AgentDepartureHandler = (tx, agent) => handoff.releaseHeldBy(tx, agent);
    const members = new MembersService(sessions, audit, identityCache, departures);
    const apiKeys = new ApiKeysService(audit, identityCache, departures);
    const authenticate = createAuthenticator(tokens, apiKeys, identityCache);
    const stopHandoffTimeouts = await startHandoffTimeouts({ orm, jobs, channels: handoffChannels, logger });
    cleanups.push(stopHandoffTimeouts);
    const replies = new ReplyPipeline({
      orm, bus, provider, logger, events: conversationEvents, usage, counters, cache: new AnswerCache(),
      outbox: conversationOutbox, embeddings: knowledge.embeddings, ...(sideReads ? { sideReads } : {}), metrics, visitorLeftGraceMs: config.visitorLeftGraceMs,
    });
    const embeds = new WidgetEmbedService(bots, {
      builtinAvatarHash: (id) => avatars.builtinAvatar(id)?.contentHash,
      ownOrigin: () => publicUrl,
    });
    const conversations = new ConversationsService(bots, tokens, replies, bus, logger, usage, handoff, conversationEvents, conversationOutbox, embeds);
    // Conversation events and cached answers are transient: swept past their retention on every instance.
    const stopConversationRetention = startConversationRetention(orm, logger);
    cleanups.push(async () => stopConversationRetention());
    // Replies a crashed instance left open are closed with ReplyFailed here or on any other live instance.
    cleanups.push(startOrphanedReplySweeps(orm, conversationEvents, logger, config.orphanedReplySweep));
    const preview = new DraftPreviewService({
      bots, usage, provider, embeddings: knowledge.embeddings, ...(sideReads ? { sideReads } : {}), draftKnowledge: (tx, botId) => knowledge.documentIdsForSnapshot(tx, botId),
    });
    const schema = await buildMascotSchema(
      { identity, sessions, members, apiKeys, audit, usage, botUsage: new BotUsageService(counters), bots, botLifecycle, privacy: new VisitorPrivacyService(audit, forgetVisitorAnalytics), knowledge, curatedAnswers: new CuratedAnswersService(bots, usage, knowledge.embeddings, audit), websiteSources, ingestion, conversations, preview, handoff, leads, feedback, transcripts, history, avatars, webhooks, analytics, bus, publicUrl: () => publicUrl },
    );
    webhookWorker.start();
    cleanups.push(() => webhookWorker.stop());

    const demo = config.seedDemo
      ? await seedDemo({ em: orm.em.fork(), config, identity, bots, knowledge, logger, conversations: { outbox: conversationOutbox, counters } })
      : undefined;
    // The demo conversations are written in the background; closing waits for them (one transaction).
    if (demo?.conversationsSeeded) cleanups.push(async () => void (await demo.conversationsSeeded));

    let shuttingDown = false;
    const app = express();
    app.disable('x-powered-by');
    app.use(baseSecurityHeaders);
    app.use(requestIdMiddleware());
    app.use(healthRoutes(
      [
        { name: 'database', check: async () => void (await orm.em.fork().execute('select 1')) },
        { name: 'bus', check: () => bus.ping() },
      ],
      () => shuttingDown,
    ));
    // Browsers asking GET /graphql get the bundled explorer; everything else falls through to Apollo.
    app.use(explorerRoutes());
    // The Console (server/console): its hashed assets, and index.html for every deep link under /console.
    app.use(consoleRoutes());
    // POST /graphql takes a lane around the Express app (graphql-http-lane.ts); the rest is Express's.
    const lanes: { graphql?: (req: IncomingMessage, res: ServerResponse) => boolean } = {};
    const httpServer = createServer(continueIncomingTrace((req, res) => {
      if (!lanes.graphql?.(req, res)) app(req, res);
    }));
    const graphql = await mountGraphQL({
      app, httpServer, schema, orm, authenticate, logger, config, rateLimits, metrics, publicUrl: () => publicUrl,
      clientAddress: createClientAddress(config.trustProxy), identityChanges: identityCache,
    });
    lanes.graphql = graphql.handleHttpRequest;
    app.use(metricsRoute(metrics, { token: config.metricsToken, production: config.env === 'production' }));
    // Raw upload bodies: mounted before any JSON body parser could consume them.
    app.use(avatarRoutes({ avatars, em: () => orm.em.fork(), logger }));
    app.use(knowledgeUploadRoutes(ingestion, knowledgeUploads, logger));
    app.use(analyticsRoutes({ analytics, orm, authenticate: (header) => authenticate(() => orm.em.fork(), header), logger }));
    app.use(transcriptExportRoutes({ exports: new TranscriptExportService(history), orm, authenticate: (header) => authenticate(() => orm.em.fork(), header), logger }));
    app.use(widgetRoutes({ embeds, em: () => orm.em.fork(), logger }));
    app.use(demoPageRoute(() => demo));
    // Last: unmatched paths and every error that reaches here answer JSON with a code, never Express's HTML page.
    app.use(jsonNotFound(logger));
    app.use(jsonErrorHandler(logger));

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
    const { port } = httpServer.address() as AddressInfo;
    const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    publicUrl = url;

    const close = async () => {
      if (shuttingDown) return;
      shuttingDown = true;
      // /readyz already answers 503; the listener stays open this long so load balancers that poll it stop routing here first.
      if (config.shutdownReadinessDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownReadinessDelayMs));
      // New connections are refused from here on; open sockets keep receiving the replies still streaming.
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      await replies.drain(config.shutdownGraceMs);
      // The last events of those replies are still travelling (bus → subscription → socket);
      // give them a moment before the sockets close with 1001 Going Away.
      await new Promise((resolve) => setTimeout(resolve, SUBSCRIPTION_SETTLE_MS));
      await graphql.stop();
      httpServer.closeAllConnections();
      await closed;
      await runCleanups();
      logger.info('stopped');
    };

    return {
      url,
      graphqlUrl: `${url}/graphql`,
      websocketUrl: `${url.replace(/^http/, 'ws')}/graphql`,
      demo,
      databaseUrl,
      orm,
      bus,
      tokens,
      logger,
      metrics,
      rateLimits,
      identityCache,
      counters,
      close,
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}
