// The live preview: the real widget build (widget/dist, the files visitors get) on a mock host page
// served from 127.0.0.1, against the project's draft. It stands in for the parts of a Mascot server the
// widget talks to — the loader's configuration (/widget/config), the chat app (/widget/), the avatar's
// model and GraphQL (startConversation, sendMessage, conversationEvents over graphql-ws) — answering with
// the offline answerer over the project's own index. Every request reads the draft as saved now, so a
// reload shows the latest edit. Pages are addressed by an unguessable per-project token: another local
// page cannot read a project by guessing its id.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ANIMATION_SLOTS, colorSchemeOf, engagementOf, publicBotView, type BotAvatar, type BotBundle, type PublicBotView } from '@mascot/bot-bundle';
import { graphql, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { withVariantApplied } from '../../shared/variant-view.ts';
import { contentTypeOf } from '../window/security.ts';
import { PreviewConversations, type PreviewAnswer } from './preview-conversations.ts';
import { previewSchema } from './preview-schema.ts';

export interface PreviewSource {
  bundle(projectId: string): Promise<BotBundle>;
  avatarBytes(projectId: string, avatar: BotAvatar): Promise<Uint8Array | null>;
  /** The draft's answer to a visitor, as the bot of `bundle` (the variant applied) gives it. */
  answer(projectId: string, bundle: BotBundle, question: string): Promise<PreviewAnswer>;
}

export interface PreviewPageOptions {
  /** The A/B variant to show; null for the bot itself (or, once it has variants, a visitor's pick). */
  variantId: string | null;
  /** The host page's path and query, e.g. `/help/returns`: placement rules are tried on it. */
  pagePath: string;
}

/** The query parameter naming the project on a host page (any other path is the host site's page). */
export const PREVIEW_PARAM = 'mascot-preview';
const VARIANT_SEPARATOR = '~';

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function hostPage(title: string, embedId: string, nonce: string): string {
  // A plain page of a made-up shop, with the CSP recipe the README gives customers (nonce + strict-dynamic):
  // what the designer sees is the widget as it behaves under a strict host policy.
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Example shop</title>
<style nonce="${nonce}">
body{margin:0;font-family:Georgia,serif;color:#2b2b2b;background:#faf7f2}
header{display:flex;justify-content:space-between;align-items:center;padding:18px 28px;background:#fff;border-bottom:1px solid #e9e2d6}
header b{font-size:20px} nav a{margin-left:18px;color:#6b5d4a;text-decoration:none;font-family:system-ui,sans-serif;font-size:14px}
main{max-width:760px;margin:0 auto;padding:40px 28px} h1{font-size:34px;margin:0 0 12px}
.hero{height:180px;border-radius:14px;background:linear-gradient(120deg,#e8d9c4,#cbb79c);margin:24px 0}
p{line-height:1.6;color:#555}.path{font-family:ui-monospace,monospace;font-size:12px;color:#8a7d6b}
@media (max-width:480px){nav{display:none}h1{font-size:26px}main{padding:24px 18px}}
</style></head>
<body><header><b>Example shop</b><nav><a href="#">Shop</a><a href="#">Help</a><a href="#">About</a></nav></header>
<main><p class="path">${escapeHtml(title)}</p><h1>Handmade goods, delivered</h1><div class="hero"></div>
<p>This page stands in for your site: the widget on it is the same build your visitors get, running against the draft in Studio.</p>
<p>Placement, delay, devices, position, the teaser, colours and the launcher all behave as they will on your pages.</p></main>
<script nonce="${nonce}" src="/embed.js" data-bot="${escapeHtml(embedId)}" async></script>
</body></html>`;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value));
}

export class PreviewServer {
  private server: Server | null = null;
  private sockets: WebSocketServer | null = null;
  private origin = '';
  private readonly tokens = new Map<string, string>();
  private readonly conversations = new PreviewConversations();
  private starting: Promise<void> | null = null;

  constructor(
    private readonly source: PreviewSource,
    private readonly widgetDist: string,
  ) {}

  /** The host page showing the project's draft (starts the server on first use). */
  async pageUrl(projectId: string, options: PreviewPageOptions): Promise<string> {
    await this.start();
    let token = [...this.tokens].find(([, id]) => id === projectId)?.[0];
    if (!token) {
      token = randomBytes(16).toString('hex');
      this.tokens.set(token, projectId);
    }
    const url = new URL(options.pagePath.startsWith('/') ? options.pagePath : `/${options.pagePath}`, this.origin);
    url.searchParams.set(PREVIEW_PARAM, options.variantId ? `${token}${VARIANT_SEPARATOR}${options.variantId}` : token);
    return url.href;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    for (const client of this.sockets?.clients ?? []) client.terminate();
    this.sockets?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  private start(): Promise<void> {
    this.starting ??= (async () => {
      const server = createServer((req, res) => {
        this.handle(req, res).catch((error: unknown) => json(res, 500, { error: { code: 'INTERNAL', message: String(error) } }));
      });
      this.sockets = new WebSocketServer({ server, path: '/graphql' });
      const schema = previewSchema();
      useServer({ schema, roots: { subscription: this.subscriptionRoot() } }, this.sockets);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      this.server = server;
    })();
    return this.starting;
  }

  /** `token` or `token~variant` (the loader's data-bot, the app's `bot=`) → project and variant. */
  private resolve(embedId: string): { projectId: string; variantId: string | null } | null {
    const [token = '', variantId] = embedId.split(VARIANT_SEPARATOR);
    const projectId = this.tokens.get(token);
    return projectId ? { projectId, variantId: variantId || null } : null;
  }

  private async view(embedId: string): Promise<{ projectId: string; bundle: BotBundle; view: PublicBotView } | null> {
    const target = this.resolve(embedId);
    if (!target) return null;
    const bundle = await this.source.bundle(target.projectId);
    const variantId = target.variantId && bundle.variants.some((v) => v.id === target.variantId) ? target.variantId : null;
    return { projectId: target.projectId, bundle, view: publicBotView(bundle, variantId ?? undefined) };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    if (req.method === 'POST' && url.pathname === '/graphql') return this.graphqlOverHttp(req, res);
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (url.pathname === '/embed.js') return this.file(res, path.join(this.widgetDist, 'embed.js'));
    if (url.pathname.startsWith('/widget/config/')) return this.loaderConfig(res, decodeURIComponent(url.pathname.slice('/widget/config/'.length)));
    if (url.pathname.startsWith('/widget/')) {
      const relative = url.pathname === '/widget/' ? 'index.html' : decodeURIComponent(url.pathname.slice('/widget/'.length));
      return this.file(res, path.join(this.widgetDist, 'app', relative), path.join(this.widgetDist, 'app'));
    }
    if (url.pathname.startsWith('/preview-avatar/')) return this.avatar(res, url.pathname.slice('/preview-avatar/'.length).replace(/\.glb$/, ''));
    const embedId = url.searchParams.get(PREVIEW_PARAM);
    if (embedId && this.resolve(embedId)) {
      const nonce = randomBytes(16).toString('base64');
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': `script-src 'nonce-${nonce}' 'strict-dynamic'; style-src 'nonce-${nonce}'; object-src 'none'; base-uri 'none'`,
      }).end(hostPage(url.pathname, embedId, nonce));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not a preview page.');
  }

  private async file(res: ServerResponse, file: string, root = this.widgetDist): Promise<void> {
    const inside = path.resolve(file).startsWith(path.resolve(root) + path.sep);
    const content = inside ? await readFile(file).catch(() => null) : null;
    if (!content) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('The widget is not built: npm run build -w @mascot/widget');
    res.writeHead(200, { 'content-type': contentTypeOf(file), 'cache-control': 'no-store' }).end(content);
  }

  /**
   * What GET /widget/config gives the loader (the server's WidgetEmbedService.loaderConfig, which Studio
   * cannot import): placement, launcher colours, the variant and the teaser. The allowlist does not apply:
   * the preview page is not one of the customer's sites.
   */
  private async loaderConfig(res: ServerResponse, embedId: string): Promise<void> {
    const found = await this.view(embedId);
    if (!found) return json(res, 404, { error: { code: 'NOT_FOUND', message: 'No such preview.' } });
    const { view } = found;
    const { primaryColor, backgroundColor, textColor, launcher } = view.theme;
    const { teaser, sound } = engagementOf(view);
    json(res, 200, {
      placement: view.placement,
      theme: { primaryColor, backgroundColor, textColor, launcher },
      variantId: view.variantId,
      engagement: { teaser: teaser.enabled ? { text: teaser.text ?? view.greeting, delaySeconds: teaser.delaySeconds, pages: teaser.pages } : null, sound },
      originAllowed: true,
    });
  }

  private async avatar(res: ServerResponse, key: string): Promise<void> {
    const [embedId = '', variantPart] = key.split('.');
    const found = await this.view(variantPart ? `${embedId}${VARIANT_SEPARATOR}${variantPart}` : embedId);
    const bytes = found ? await this.source.avatarBytes(found.projectId, found.view.avatar) : null;
    if (!bytes) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'model/gltf-binary', 'cache-control': 'no-store' }).end(bytes);
  }

  private async graphqlOverHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      request = JSON.parse(await body(req)) as typeof request;
    } catch {
      return json(res, 400, { errors: [{ message: 'The body is not JSON.' }] });
    }
    const result = await graphql({
      schema: previewSchema() as GraphQLSchema,
      source: String(request.query ?? ''),
      rootValue: this.operationRoot(),
      variableValues: (request.variables ?? null) as Record<string, unknown> | null,
      operationName: typeof request.operationName === 'string' ? request.operationName : null,
    });
    json(res, 200, result);
  }

  private operationRoot() {
    return {
      startConversation: async ({ embedId }: { embedId: string }) => {
        const found = await this.view(embedId);
        if (!found) throw new Error('No such preview; reopen it from Studio.');
        const { view } = found;
        const { whiteLabel, ...theme } = view.theme;
        const [token = ''] = embedId.split(VARIANT_SEPARATOR);
        const avatarKey = view.variantId ? `${token}.${view.variantId}` : token;
        const session = this.conversations.start({ projectId: found.projectId, variantId: view.variantId, botName: view.name });
        return {
          ...session,
          bot: {
            name: view.name,
            greeting: view.greeting,
            language: view.language,
            variantId: view.variantId,
            theme: { ...theme, colorScheme: colorSchemeOf(theme), showBranding: !whiteLabel },
            avatar: view.avatar.kind === 'none'
              ? null
              : { modelUrl: `/preview-avatar/${avatarKey}.glb`, animationMap: ANIMATION_SLOTS.map((slot) => ({ slot, clip: view.avatar.animationMap[slot] })) },
          },
        };
      },
      sendMessage: ({ conversationId, text }: { conversationId: string; text: string }) => {
        const conversation = this.conversations.get(conversationId);
        if (!conversation) throw new Error('This preview conversation has ended; reload the preview.');
        return this.conversations.send(conversationId, text, async () => {
          const bundle = await this.source.bundle(conversation.projectId);
          const variant = bundle.variants.find((v) => v.id === conversation.variantId);
          return this.source.answer(conversation.projectId, withVariantApplied(bundle, variant), text);
        });
      },
    };
  }

  private subscriptionRoot() {
    return {
      conversationEvents: ({ conversationId, afterSeq }: { conversationId: string; afterSeq?: number | null }) =>
        this.conversations.events(conversationId, afterSeq ?? 0),
    };
  }
}
