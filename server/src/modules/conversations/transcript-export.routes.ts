import { Router, type Request, type Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import type { MikroORM } from '@mikro-orm/postgresql';
import { requireActor, type Principal, type TenantActor } from '../../core/auth/index.ts';
import { sendJsonError } from '../../core/http/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import type { ConversationMessageView, ConversationView } from './conversation-history.service.ts';
import { parseExportRange, type TranscriptExportService } from './transcript-export.service.ts';

export interface TranscriptExportRoutesDeps {
  exports: TranscriptExportService;
  orm: MikroORM;
  /** Turns the Authorization header into a principal, exactly as the GraphQL endpoint does. */
  authenticate: (authorizationHeader: string | undefined) => Promise<Principal>;
  logger: Logger;
}

type Format = 'json' | 'csv';

const CSV_COLUMNS = [
  'conversation_id', 'bot_id', 'bot_name', 'visitor_id', 'status', 'started_at', 'last_message_at', 'variant_id', 'host_origin',
  'message_id', 'role', 'author_name', 'created_at', 'text', 'sources', 'provider', 'model', 'input_tokens', 'output_tokens', 'cost_micro_usd',
  // Last, so readers of the earlier columns by position are unaffected; the kind of a SYSTEM message's notice.
  'notice',
];
/** CSV rows stringified and written together: fewer writes, still never more than this in memory. */
const CSV_ROWS_PER_WRITE = 100;

function transcriptReader(principal: Principal): TenantActor {
  return requireActor(principal, 'conversations:read', 'Send a member access token or an API key with the read scope as a Bearer token.');
}

/** What an export says about a conversation. Contact details (leads) stay out: they need leads:read. */
function conversationJson(view: ConversationView) {
  return {
    id: view.id,
    bot: view.bot,
    visitorId: view.visitorId,
    status: view.status,
    handoff: view.handoff,
    agent: view.agent,
    variantId: view.variantId,
    hostOrigin: view.hostOrigin,
    startedAt: view.startedAt,
    lastMessageAt: view.lastMessageAt,
    messageCount: view.messageCount,
    hasLead: view.hasLead,
    rating: view.rating ? { rating: view.rating.rating, comment: view.rating.comment ?? null, ratedAt: view.rating.updatedAt } : null,
  };
}

function csvRow(view: ConversationView, message: ConversationMessageView | null): unknown[] {
  const conversation = [
    view.id, view.bot.id, view.bot.name, view.visitorId ?? '', view.status, view.startedAt.toISOString(), view.lastMessageAt.toISOString(),
    view.variantId ?? '', view.hostOrigin ?? '',
  ];
  if (!message) return [...conversation, ...CSV_COLUMNS.slice(conversation.length).map(() => '')];
  const sources = message.sources.map((s) => `[${s.marker}] ${[s.documentTitle, ...s.sectionPath].join(' > ')}`).join('; ');
  const usage = message.usage;
  return [
    ...conversation, message.id, message.role, message.authorName ?? '', message.createdAt.toISOString(), message.text, sources,
    usage?.provider ?? '', usage?.model ?? '', usage?.inputTokens ?? '', usage?.outputTokens ?? '', usage?.costMicroUsd ?? '',
    message.notice?.kind ?? '',
  ];
}

/** escape_formulas: a cell starting with = + - @ (or tab, CR) is prefixed with ' so a spreadsheet never runs it. */
const csvLines = (rows: unknown[][]) => stringify(rows, { escape_formulas: true });

/** Writes one chunk, waiting while the client's buffer is full; fails if the client went away. */
function send(res: Response, chunk: string): Promise<void> {
  if (res.destroyed) return Promise.reject(new Error('the client went away'));
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('the client went away'));
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/** Streams one conversation as JSON (`{conversation, messages}`) or as CSV rows (a conversation without messages is one row). */
async function streamConversation(
  res: Response, format: Format, view: ConversationView, messages: AsyncIterable<ConversationMessageView>,
): Promise<void> {
  if (format === 'json') {
    await send(res, `{"conversation":${JSON.stringify(conversationJson(view))},"messages":[`);
    let first = true;
    for await (const message of messages) {
      await send(res, `${first ? '' : ','}${JSON.stringify(message)}`);
      first = false;
    }
    await send(res, ']}');
    return;
  }
  let rows: unknown[][] = [];
  let any = false;
  for await (const message of messages) {
    rows.push(csvRow(view, message));
    any = true;
    if (rows.length >= CSV_ROWS_PER_WRITE) {
      await send(res, csvLines(rows));
      rows = [];
    }
  }
  if (!any) rows.push(csvRow(view, null));
  if (rows.length > 0) await send(res, csvLines(rows));
}

function startDownload(res: Response, format: Format, name: string): void {
  res
    .status(200)
    .type(format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8')
    .setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`)
    .setHeader('Cache-Control', 'no-store');
}

function queryString(request: Request, name: string): string | undefined {
  const value = request.query[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Transcript downloads, authenticated like the API (Authorization: Bearer <member token or API key>,
 * permission conversations:read), streamed as they are read:
 * - `GET /conversations/:conversationId/transcript.json|csv`: one conversation;
 * - `GET /conversations/export.json|csv?from=…&to=…[&botId=…]`: the conversations started in [from, to)
 *   (dates or ISO 8601 instants, at most 366 days), oldest first, with their messages.
 * Everything that can be refused (token, permission, input, a missing conversation) is checked before the
 * first byte, so it is answered as JSON with a code; a failure later cuts the connection, which a client
 * sees as an incomplete download rather than a shorter file.
 */
export function transcriptExportRoutes(deps: TranscriptExportRoutesDeps): Router {
  const router = Router();
  for (const format of ['json', 'csv'] as const) {
    router.get(`/conversations/export.${format}`, async (req, res) => {
      try {
        const { tenantId } = transcriptReader(await deps.authenticate(req.headers.authorization));
        const range = parseExportRange({ from: queryString(req, 'from'), to: queryString(req, 'to'), botId: queryString(req, 'botId') });
        const em = deps.orm.em.fork();
        const conversations = deps.exports.conversations(em, tenantId, range);
        // The first batch is read before the headers, so a bot of another tenant is still a JSON NOT_FOUND.
        const first = await conversations.next();
        startDownload(res, format, `mascot-transcripts-${range.from.toISOString().slice(0, 10)}-${range.to.toISOString().slice(0, 10)}`);
        if (format === 'json') {
          await send(res, `{"from":${JSON.stringify(range.from)},"to":${JSON.stringify(range.to)},"botId":${JSON.stringify(range.botId)},"conversations":[`);
        } else {
          await send(res, csvLines([CSV_COLUMNS]));
        }
        let separator = '';
        for (let next = first; !next.done; next = await conversations.next()) {
          if (format === 'json') await send(res, separator);
          separator = ',';
          await streamConversation(res, format, next.value, deps.exports.messages(em, tenantId, next.value.id));
        }
        if (format === 'json') await send(res, ']}');
        res.end();
      } catch (error) {
        sendJsonError(res, error, deps.logger);
      }
    });

    router.get(`/conversations/:conversationId/transcript.${format}`, async (req, res) => {
      try {
        const { tenantId } = transcriptReader(await deps.authenticate(req.headers.authorization));
        const em = deps.orm.em.fork();
        const view = await deps.exports.conversation(em, tenantId, String(req.params['conversationId']));
        startDownload(res, format, `mascot-transcript-${view.id}`);
        if (format === 'csv') await send(res, csvLines([CSV_COLUMNS]));
        await streamConversation(res, format, view, deps.exports.messages(em, tenantId, view.id));
        res.end();
      } catch (error) {
        sendJsonError(res, error, deps.logger);
      }
    });
  }
  return router;
}
