import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ANIMATION_CLIP_NAMES } from '@mascot/avatar-assets';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MascotConfig } from '../core/config/index.ts';
import { inTenant } from '../core/db/index.ts';
import { DomainError } from '../core/errors/index.ts';
import type { Logger } from '../core/logging/index.ts';
import { Bot, type BotsService } from '../modules/bots/index.ts';
import { User, type IdentityService } from '../modules/identity/index.ts';
import type { KnowledgeService } from '../modules/knowledge/index.ts';
import type { DeferredCounters } from '../core/db/index.ts';
import type { DomainEventOutbox } from '../core/events/index.ts';
import { seedDemoConversationsOnce } from './demo-conversations.ts';

export const DEMO_EMAIL = 'demo@mascot.local';
const DEMO_BOT_NAME = 'Milo';

export interface DemoSeed {
  email: string;
  /** Undefined when the account predates this data directory and no MASCOT_DEMO_PASSWORD is set. */
  password: string | undefined;
  embedId: string;
  botName: string;
  /**
   * The fortnight of demo conversations, written in the background so the server starts at once
   * (settles with how many were written, 0 when they were there already; failures are logged).
   */
  conversationsSeeded?: Promise<number>;
}

interface SeedDeps {
  em: EntityManager;
  config: MascotConfig;
  identity: IdentityService;
  bots: BotsService;
  knowledge: KnowledgeService;
  logger: Logger;
  /** Where the demo conversations record their events (the conversations' outbox: analytics and webhooks); without it, no demo conversations. */
  conversations?: { outbox: DomainEventOutbox; counters: DeferredCounters };
}

/** Idempotent: creates the demo tenant, bot, knowledge and first publication only when missing. */
export async function seedDemo(deps: SeedDeps): Promise<DemoSeed> {
  const known = await knownDemoPassword(deps.config);
  const existing = await findDemoBot(deps.em, deps.identity);
  if (existing) {
    return { email: DEMO_EMAIL, password: known, embedId: existing.embedId, botName: existing.name, conversationsSeeded: seedConversations(deps, existing) };
  }

  const password = known ?? (await createDemoPassword(deps.config));
  try {
    const auth = await deps.identity.createAccount(deps.em, { email: DEMO_EMAIL, password, tenantName: 'Demo Company' });
    const tenantId = auth.tenant.id;
    const bot = await deps.bots.create(deps.em, tenantId, {
      name: DEMO_BOT_NAME,
      greeting: "Hi, I'm Milo from Acme Cloud! Ask me about plans, billing, support or security.",
      tone: 'friendly',
    });
    // The demo shows the whole product, so Milo is played by the built-in Milo avatar, whose clips
    // are named after the animation slots they play.
    const withAvatar = { ...deps.bots.draftOf(bot), avatar: { kind: 'builtin' as const, id: 'milo', animationMap: builtinAnimationMap() } };
    await deps.bots.updateDraft(deps.em, tenantId, bot.id, withAvatar);
    const text = await readFile(new URL('./demo-knowledge.md', import.meta.url), 'utf8');
    await deps.knowledge.addText(deps.em, tenantId, bot.id, { title: 'Acme Cloud customer guide', text });
    const version = await deps.bots.publish(deps.em, { kind: 'system', tenantId }, bot.id);
    deps.logger.info({ botId: bot.id }, 'seeded the demo tenant and bot');
    const seeded = { tenantId, botId: bot.id, botVersionId: version.id, embedId: bot.embedId, name: bot.name };
    return { email: DEMO_EMAIL, password, embedId: bot.embedId, botName: bot.name, conversationsSeeded: seedConversations(deps, seeded) };
  } catch (error) {
    // Another instance seeded at the same moment: use what it created.
    if (error instanceof DomainError && error.code === 'CONFLICT') {
      const bot = await findDemoBot(deps.em, deps.identity);
      if (bot) return { email: DEMO_EMAIL, password: known, embedId: bot.embedId, botName: bot.name };
    }
    throw new Error('Seeding the demo tenant failed', { cause: error });
  }
}

interface FoundDemoBot {
  tenantId: string;
  botId: string;
  /** The live version the demo conversations are pinned to. */
  botVersionId: string | null;
  embedId: string;
  name: string;
}

/** A fortnight of conversations so the Console's charts are not empty on first start; see demo-conversations.ts. */
function seedConversations(deps: SeedDeps, bot: FoundDemoBot): Promise<number> | undefined {
  if (!deps.conversations || !bot.botVersionId) return undefined;
  const started = performance.now();
  const seeding = seedDemoConversationsOnce({ em: deps.em, ...deps.conversations }, { tenantId: bot.tenantId, botId: bot.botId, botVersionId: bot.botVersionId });
  return seeding.then(
    (conversations) => {
      if (conversations > 0) deps.logger.info({ botId: bot.botId, conversations, ms: Math.round(performance.now() - started) }, 'seeded the demo conversations');
      return conversations;
    },
    (error: unknown) => {
      deps.logger.warn({ err: error, botId: bot.botId }, 'could not seed the demo conversations');
      return 0;
    },
  );
}

async function findDemoBot(em: EntityManager, identity: IdentityService): Promise<FoundDemoBot | undefined> {
  const user = await em.fork().findOne(User, { email: DEMO_EMAIL });
  if (!user) return undefined;
  const [membership] = await identity.membershipsOf(em.fork(), user.id);
  if (!membership) return undefined;
  const bot = await inTenant(em.fork(), membership.tenantId, (tx) =>
    tx.findOne(Bot, { name: DEMO_BOT_NAME }, { orderBy: { createdAt: 'asc' } }),
  );
  return bot ? { tenantId: membership.tenantId, botId: bot.id, botVersionId: bot.liveVersionId ?? null, embedId: bot.embedId, name: bot.name } : undefined;
}

/**
 * What the start banner shows for the demo password. Production never prints it (a log pipeline would
 * keep it): it names the file that holds it, or the variable that set it (issue 15, finding 9).
 */
export function demoPasswordForBanner(demo: Pick<DemoSeed, 'password'>, config: Pick<MascotConfig, 'env' | 'dataDir' | 'demoPassword'>): string {
  if (config.env === 'production') {
    return config.demoPassword ? '(the one in MASCOT_DEMO_PASSWORD)' : `(kept in ${credentialsFile(config)})`;
  }
  return demo.password ?? '(set when first seeded; see MASCOT_DEMO_PASSWORD)';
}

/**
 * The demo password is never in the code: MASCOT_DEMO_PASSWORD, or one generated on first seed and
 * kept (0600) in the data directory so the start log can show it again.
 */
function credentialsFile(config: Pick<MascotConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'demo-credentials.json');
}

async function knownDemoPassword(config: MascotConfig): Promise<string | undefined> {
  if (config.demoPassword) return config.demoPassword;
  try {
    const saved = JSON.parse(await readFile(credentialsFile(config), 'utf8')) as { password?: string };
    return saved.password;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function createDemoPassword(config: MascotConfig): Promise<string> {
  const generated = randomBytes(12).toString('base64url');
  await mkdir(config.dataDir, { recursive: true });
  await writeFile(credentialsFile(config), JSON.stringify({ email: DEMO_EMAIL, password: generated }, null, 2), { mode: 0o600 });
  return generated;
}

function builtinAnimationMap(): Record<(typeof ANIMATION_CLIP_NAMES)[number], string> {
  return Object.fromEntries(ANIMATION_CLIP_NAMES.map((slot) => [slot, slot])) as Record<(typeof ANIMATION_CLIP_NAMES)[number], string>;
}
