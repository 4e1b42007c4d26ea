import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isOriginAllowed, pickVariant, publicBotView, type Placement, type PublicBotView } from '@mascot/bot-bundle';
import { DomainError } from '../../core/errors/index.ts';
import type { BotsService, LiveBot } from '../bots/index.ts';
import { admitHostOrigin } from './embed-origin.ts';
import { toPublicBot, type BuiltinAvatarHash, type PublicBot } from './public-bot.ts';

/** The anonymous id the loader keeps per visitor and site (in the host page's localStorage). */
const VISITOR_ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * How long the loader's config and the iframe's frame-ancestors reuse a looked-up bot: every page
 * view of every host site asks, so a publication or allowlist change applies within this time.
 * startConversation always reads the live version.
 */
const PUBLIC_LOOKUP_TTL_MS = 30_000;
const PUBLIC_LOOKUP_ENTRIES = 1_000;

export interface WidgetEmbedOptions {
  builtinAvatarHash: BuiltinAvatarHash;
  /** Mascot's own public origin (where /widget/ is served); known once the server listens. */
  ownOrigin: () => string;
}

/** What the loader needs before it draws anything; nothing private, no session. */
export interface LoaderConfig {
  placement: Placement;
  theme: { primaryColor: string; backgroundColor: string; textColor: string; launcher: string };
  variantId: string | null;
  /**
   * The closed widget's reach-out: the teaser (null when off; `text` is the greeting unless the author
   * wrote one; `pages` are per-page texts, the first match wins) and whether new messages chime.
   */
  engagement: {
    teaser: { text: string; delaySeconds: number; pages: { include: string[]; text: string }[] } | null;
    sound: boolean;
  };
  /** Whether the page's origin may embed the bot; the loader draws nothing when it may not. */
  originAllowed: boolean;
}

export interface WidgetSessionRequest {
  visitorId?: string | null | undefined;
  hostOrigin?: string | null | undefined;
  /** The Origin header of the request that asks. */
  requestOrigin?: string | undefined;
}

export function parseVisitorId(visitorId: string | null | undefined, field = 'visitorId'): string | null {
  if (visitorId == null) return null;
  if (!VISITOR_ID.test(visitorId)) throw DomainError.invalidInput([{ field, message: 'must be 8 to 64 letters, digits, _ or -' }]);
  return visitorId;
}

/**
 * Everything the widget's public surfaces (the loader config, the iframe's frame-ancestors,
 * startConversation) need to know about a published bot, decided in one place: which variant a
 * visitor gets and which host pages may embed it.
 */
export class WidgetEmbedService {
  /** Recent lookups by embed id, failures included (unknown ids must not cost a query each). */
  private readonly recent = new Map<string, { lookup: Promise<LiveBot>; expires: number }>();

  constructor(
    private readonly bots: BotsService,
    private readonly options: WidgetEmbedOptions,
  ) {}

  /**
   * Validates a session request (visitor id, origins) and returns the live bot, the bot as this
   * visitor sees it and the host origin to record. Always reads the live version, never a cached one.
   */
  async admitSession(
    em: EntityManager,
    embedId: string,
    request: WidgetSessionRequest,
  ): Promise<{ live: LiveBot; bot: PublicBot; visitorId: string | null; hostOrigin: string | null }> {
    const visitorId = parseVisitorId(request.visitorId);
    const live = await this.bots.findLiveByEmbedId(em, embedId);
    const hostOrigin = admitHostOrigin({
      allowedOrigins: live.bundle.allowedOrigins,
      requestOrigin: request.requestOrigin,
      hostOrigin: request.hostOrigin,
      ownOrigin: this.ownOrigin(),
    });
    return { live, visitorId, hostOrigin, bot: toPublicBot(this.visitorView(live, visitorId), this.options.builtinAvatarHash) };
  }

  async loaderConfig(em: EntityManager, embedId: string, visitorId: string | null, pageOrigin: string | undefined): Promise<LoaderConfig> {
    const visitor = parseVisitorId(visitorId, 'visitor');
    const live = await this.recentLiveBot(em, embedId);
    const view = this.visitorView(live, visitor);
    const { primaryColor, backgroundColor, textColor, launcher } = view.theme;
    const { teaser } = view.engagement;
    return {
      placement: view.placement,
      theme: { primaryColor, backgroundColor, textColor, launcher },
      variantId: view.variantId,
      engagement: {
        teaser: teaser.enabled ? { text: teaser.text ?? view.greeting, delaySeconds: teaser.delaySeconds, pages: teaser.pages } : null,
        sound: view.engagement.sound,
      },
      // Without any origin (a same-origin request from a page that passed none) only an open bot admits it.
      originAllowed: pageOrigin === undefined ? live.bundle.allowedOrigins.length === 0 : isOriginAllowed(live.bundle.allowedOrigins, pageOrigin),
    };
  }

  /** The published bot's allowlist (empty: any site), or null when the embed id names no published bot. */
  async allowedOrigins(em: EntityManager, embedId: string): Promise<readonly string[] | null> {
    try {
      return (await this.recentLiveBot(em, embedId)).bundle.allowedOrigins;
    } catch (error) {
      if (error instanceof DomainError) return null;
      throw error;
    }
  }

  /**
   * The bot as this visitor sees it. The variant is sticky: the seed joins bot and visitor, so the
   * loader, the iframe and a returning visitor all land on the same arm; without a visitor id each
   * call draws anew.
   */
  private visitorView(live: LiveBot, visitorId: string | null): PublicBotView {
    const variant = pickVariant(live.bundle, `${live.botId}:${visitorId ?? randomUUID()}`);
    return publicBotView(live.bundle, variant?.id);
  }

  private recentLiveBot(em: EntityManager, embedId: string): Promise<LiveBot> {
    const now = Date.now();
    const hit = this.recent.get(embedId);
    if (hit && hit.expires > now) return hit.lookup;
    const lookup = this.bots.findLiveByEmbedId(em, embedId);
    // Unexpected failures (the database away) are not remembered; answers, "no such bot" included, are.
    lookup.catch((error: unknown) => {
      if (!(error instanceof DomainError)) this.recent.delete(embedId);
    });
    this.recent.delete(embedId);
    if (this.recent.size >= PUBLIC_LOOKUP_ENTRIES) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(embedId, { lookup, expires: now + PUBLIC_LOOKUP_TTL_MS });
    return lookup;
  }

  private ownOrigin(): string {
    return new URL(this.options.ownOrigin()).origin;
  }
}
