import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReplySource } from '@mascot/events';
import { inTenant, type DeferredCounters } from '../core/db/index.ts';
import type { DomainEvent, DomainEventOutbox } from '../core/events/index.ts';
import { priceUsage } from '../modules/ai/index.ts';
import { addReplyToDailyUsage, messageCreatedData, noticeText } from '../modules/conversations/index.ts';

type ReplyUsage = Parameters<typeof addReplyToDailyUsage>[3];

/**
 * A fortnight of demo conversations for the demo bot, so the Console's charts, conversation list and
 * leads are not empty on first start. Rows are written as the real paths store them (conversation,
 * message, lead, feedback rows with their timestamps) and every change is recorded through the same
 * domain-event outbox the reply path uses, so the analytics roll-ups, costs and webhooks see them
 * exactly as they would see real traffic. Deterministic (a seeded generator; ids derived from the bot
 * id) and written in one transaction, once (seedDemoConversationsOnce). On PGlite this takes a few
 * seconds (each event's analytics statements), so `seedDemo` runs it after the server starts.
 *
 * What the demo does not pretend: the plan's monthly counters (messages, AI spend) are left alone, so
 * the demo tenant's quota is whole on first start.
 */

export const DEMO_DAYS = 14;
const DAY_MS = 86_400_000;

interface Exchange {
  question: string;
  answer: string;
  /** The knowledge covered it (retrieval found a passage scoring 0.3 or more). */
  answered: boolean;
  section?: string;
}

const EXCHANGES: readonly Exchange[] = [
  { question: 'How much does the Pro plan cost?', answer: 'The Pro plan is 29 dollars a month, or 290 dollars a year when paid annually [1].', answered: true, section: 'Plans and pricing' },
  { question: 'Is there a free trial?', answer: 'Yes: every paid plan comes with a 14-day free trial, and no credit card is needed to start it [1].', answered: true, section: 'Plans and pricing' },
  { question: 'Can I get a refund if I cancel?', answer: 'If you cancel within 30 days of a payment we refund it in full; it reaches you within 5 to 10 business days [1].', answered: true, section: 'Billing and refunds' },
  { question: 'When is your support team available?', answer: 'Support answers chat and email from 8 am to 8 pm CET, Monday to Friday [1].', answered: true, section: 'Support' },
  { question: 'Where is my data stored?', answer: 'In data centres in Frankfurt and Amsterdam; it never leaves the European Union [1].', answered: true, section: 'Security and data' },
  { question: 'Is my data encrypted?', answer: 'Yes: AES-256 at rest and TLS 1.3 in transit, with backups every 6 hours [1].', answered: true, section: 'Security and data' },
  { question: 'Do you have a mobile app?', answer: 'Yes, the mobile app is available for iOS and Android [1].', answered: true, section: 'Getting started' },
  { question: 'How do I invite my team?', answer: 'Create your first project, then invite your team from the Members page [1].', answered: true, section: 'Getting started' },
  { question: 'Do you integrate with SAP?', answer: "I don't know that from our guide. Would you like me to put you in touch with a person?", answered: false },
  { question: 'Can I pay with PayPal?', answer: "Our guide mentions card and bank transfer only; I can't confirm PayPal. Shall I ask a colleague?", answered: false },
  { question: 'Is there a discount for non-profits?', answer: "I couldn't find anything about non-profit discounts. A person from sales can tell you more.", answered: false },
  { question: 'Do you offer single sign-on with Okta?', answer: "I don't have information about single sign-on. Would you like to talk to someone?", answered: false },
];

const COVERED = EXCHANGES.filter((e) => e.answered);
const GAPS = EXCHANGES.filter((e) => !e.answered);

/** Visitors' follow-ups, whose words give the sentiment chart all three moods. */
const FOLLOW_UPS = [
  { text: 'Great, thank you so much!', answer: "You're welcome! Anything else I can help with?" },
  { text: 'ok', answer: 'Is there anything else you would like to know?' },
  { text: 'This is terrible and annoying, I still have no answer.', answer: "I'm sorry about that. A person from our team can help you further." },
  { text: 'Perfect, that helps a lot.', answer: 'Glad to hear it!' },
];

const ORIGINS = ['https://www.acme-cloud.example', 'https://docs.acme-cloud.example'];
const AGENT_NAME = 'Sam from Acme support';

/** mulberry32: small, fast and the same everywhere, so every demo install shows the same story. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A UUID derived from the bot and a label: stable for a bot, never colliding with random v4 ids of other tenants. */
function demoId(botId: string, label: string): string {
  const hex = createHash('sha256').update(`${botId}:${label}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface DemoDeps {
  em: EntityManager;
  outbox: DomainEventOutbox;
  counters: DeferredCounters;
}

interface DemoBot {
  tenantId: string;
  botId: string;
  botVersionId: string;
}

interface Row {
  id: string;
  role: 'VISITOR' | 'ASSISTANT' | 'AGENT' | 'SYSTEM';
  text: string;
  at: Date;
}

/** What one seeding writes, gathered first so each table takes a few multi-row inserts. */
interface Batch {
  conversations: unknown[][];
  messages: MessageRow[];
  leads: unknown[][];
  answerFeedback: unknown[][];
  ratings: unknown[][];
  /** In the order they happened: domain events, and replies' usage for the daily cost roll-up. */
  happenings: ({ event: DomainEvent } | { usage: ReplyUsage; at: Date })[];
}

/**
 * Writes the demo conversations unless they are there already (the first one's id is fixed by the bot id):
 * a start interrupted while seeding rolled back and seeds again; a second instance seeding at the same
 * moment collides on the same ids and rolls back. Returns how many were written.
 */
export async function seedDemoConversationsOnce(deps: DemoDeps, bot: DemoBot, now?: Date): Promise<number> {
  const seeded = await inTenant(deps.em.fork(), bot.tenantId, (tx) =>
    tx.execute<{ id: string }[]>(`select id from conversation where id = ?`, [demoId(bot.botId, 'conversation-0')]),
  );
  return seeded.length > 0 ? 0 : seedDemoConversations({ ...deps, em: deps.em.fork() }, bot, now);
}

/** Writes the demo conversations; returns how many. `now` fixes "today" (tests). */
export async function seedDemoConversations(deps: DemoDeps, bot: DemoBot, now: Date = new Date()): Promise<number> {
  const random = generator(0x4d41_5343); // "MASC"
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const batch: Batch = { conversations: [], messages: [], leads: [], answerFeedback: [], ratings: [], happenings: [] };
  let count = 0;
  for (let back = DEMO_DAYS - 1; back >= 0; back--) {
    const dayStart = today - back * DAY_MS;
    // Weekdays are busier, as on a business site.
    const weekday = new Date(dayStart).getUTCDay() % 6 !== 0;
    const conversations = (weekday ? 3 : 1) + Math.floor(random() * 2);
    for (let n = 0; n < conversations; n++) {
      // Office hours, 07:00–19:00 UTC; today's conversations end before now.
      let start = dayStart + (7 + random() * 12) * 3_600_000;
      if (start > now.getTime() - 10 * 60_000) start = now.getTime() - (60 + n * 7) * 60_000;
      // In the first hour of a UTC day there is no hour to fit today's conversations in: they start between
      // midnight and now instead (their last messages may then follow now by a few minutes), so today's charts
      // are never empty whenever the server starts.
      if (start < dayStart) start = dayStart + ((now.getTime() - dayStart) * (n + 1)) / (conversations + 1);
      scriptConversation(batch, bot, { index: count, start: new Date(start), random, pick });
      count++;
    }
  }
  await inTenant(deps.em, bot.tenantId, async (tx) => {
    await insertRows(tx, 'conversation', ['id', 'tenant_id', 'bot_id', 'bot_version_id', 'created_at', 'last_message_at', 'visitor_id', 'host_origin', 'handoff_reason', 'handoff_requested_at'], batch.conversations);
    await insertRows(tx, 'message', MESSAGE_COLUMNS, batch.messages.map(messageValues), MESSAGE_CASTS);
    await insertRows(tx, 'lead', ['id', 'tenant_id', 'bot_id', 'conversation_id', 'source_message_id', 'name', 'email', 'wants_contact', 'created_at', 'updated_at'], batch.leads);
    await insertRows(tx, 'answer_feedback', ['id', 'tenant_id', 'bot_id', 'conversation_id', 'message_id', 'helpful', 'created_at', 'updated_at'], batch.answerFeedback);
    await insertRows(tx, 'conversation_rating', ['id', 'tenant_id', 'bot_id', 'conversation_id', 'rating', 'created_at', 'updated_at'], batch.ratings);
    // The rows exist; now the same events the real paths record, in the order they happened.
    for (const happening of batch.happenings) {
      if ('event' in happening) await deps.outbox.record(tx, bot.tenantId, happening.event);
      else addReplyToDailyUsage(deps.counters, tx, bot.tenantId, happening.usage, happening.at);
    }
  });
  return count;
}

/** Multi-row inserts, a few hundred rows a statement (far below Postgres's 65,535 parameters). */
async function insertRows(tx: EntityManager, table: string, columns: readonly string[], rows: unknown[][], casts: Record<string, string> = {}): Promise<void> {
  const perStatement = Math.floor(4000 / columns.length);
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const tuple = `(${columns.map((c) => (casts[c] ? `?::${casts[c]}` : '?')).join(', ')})`;
    await tx.execute(`insert into ${table} (${columns.join(', ')}) values ${chunk.map(() => tuple).join(', ')}`, chunk.flat());
  }
}

interface Script {
  index: number;
  start: Date;
  random: () => number;
  pick: <T>(items: readonly T[]) => T;
}

type Say = (role: Row['role'], text: string, at: Date, extra?: Partial<MessageRow>) => string;

function scriptConversation(batch: Batch, bot: DemoBot, script: Script): void {
  const { tenantId, botId } = bot;
  const { random, pick, index } = script;
  const conversationId = demoId(botId, `conversation-${index}`);
  // About one visitor in four comes back for a second conversation.
  const visitor = index > 3 && random() < 0.25 ? index - 3 : index;
  const visitorId = `demo-visitor-${String(visitor).padStart(4, '0')}`;
  let clock = script.start.getTime();
  const next = (ms: number) => new Date((clock += ms));
  const event = (e: DomainEvent) => batch.happenings.push({ event: e });
  event({ type: 'conversation.started', data: { conversationId, botId, botVersion: 1 } });

  let said = 0;
  const say: Say = (role, text, at, extra = {}) => {
    const id = demoId(botId, `message-${index}-${said++}`);
    batch.messages.push({ id, tenantId, conversationId, role, text, at, ...extra });
    if (role === 'VISITOR' || role === 'AGENT') {
      event({ type: 'message.created', data: messageData(botId, { id, conversationId, role, text, authorName: role === 'AGENT' ? AGENT_NAME : null, at }) });
    }
    return id;
  };
  const reply = (exchange: { answer: string; answered: boolean; section?: string }, questionId: string): string => {
    const timeToFirstTokenMs = Math.round(350 + random() * 900 + (random() < 0.1 ? 1500 : 0));
    const latencyMs = timeToFirstTokenMs + Math.round(800 + random() * 1600);
    const [provider, model] = random() < 0.85 ? ['openai', 'gpt-4.1-mini'] : ['anthropic', 'claude-haiku-4-5'];
    const inputTokens = 900 + Math.floor(random() * 1400);
    const outputTokens = 40 + Math.floor(random() * 120);
    const at = next(latencyMs);
    const priced = priceUsage(provider, model, { inputTokens, outputTokens }, at);
    const sources: ReplySource[] = exchange.section
      ? [{ marker: 1, documentTitle: 'Acme Cloud customer guide', snippet: exchange.answer.replace(/\s*\[1\]\.?$/, '.'), sectionPath: [exchange.section], page: null }]
      : [];
    const bestRetrievalScore = exchange.answered ? 0.45 + random() * 0.4 : random() * 0.25;
    const id = say('ASSISTANT', exchange.answer, at, {
      sources, provider, model, inputTokens, outputTokens, costMicroUsd: priced.costMicroUsd, pricingVersion: priced.pricingVersion,
      latencyMs, timeToFirstTokenMs, intent: exchange.answered ? 'question' : 'unsure', sentiment: exchange.answered ? 0.3 : -0.1,
      animation: exchange.answered ? 'talk_happy' : 'think',
    });
    batch.happenings.push({ usage: { botId, inputTokens, outputTokens, costMicroUsd: priced.costMicroUsd, latencyMs, timeToFirstTokenMs, cacheHit: false, provider, model }, at });
    event({
      type: 'reply.completed',
      data: {
        ...messageData(botId, { id, conversationId, role: 'ASSISTANT', text: exchange.answer, authorName: null, at }),
        sources: sources.map((s) => ({ marker: s.marker, documentTitle: s.documentTitle, page: s.page })),
        provider, model, cacheHit: false, costMicroUsd: priced.costMicroUsd, timeToFirstTokenMs,
        knowledgeFound: exchange.answered, retrievalConfident: exchange.answered, bestRetrievalScore, questionMessageId: questionId,
      },
    });
    return id;
  };

  // Most questions are in the guide; about one in five is a gap in the knowledge.
  const first = random() < 0.2 ? pick(GAPS) : pick(COVERED);
  let lastAnswer = reply(first, say('VISITOR', first.question, next(0)));
  if (random() < 0.6) {
    const feeling = pick(FOLLOW_UPS);
    lastAnswer = reply({ answer: feeling.answer, answered: true }, say('VISITOR', feeling.text, next(20_000 + random() * 60_000)));
  }
  if (random() < 0.3) {
    const second = pick(COVERED);
    lastAnswer = reply(second, say('VISITOR', second.question, next(15_000 + random() * 40_000)));
  }

  // Mostly when the bot could not answer, visitors ask for a person (whom an agent helps) or leave details for sales.
  const handoffAt = random() < (first.answered ? 0.04 : 0.6) ? handOff(bot, conversationId, say, next, event) : null;
  if (random() < (first.answered ? 0.08 : 0.5)) leaveLead(batch, bot, conversationId, index, say, next, event);
  rate(batch, bot, conversationId, lastAnswer, index, random, next, first.answered, event);
  batch.conversations.push([
    conversationId, tenantId, botId, bot.botVersionId, script.start, new Date(clock), visitorId, pick(ORIGINS),
    handoffAt ? 'VISITOR_REQUEST' : null, handoffAt,
  ]);
}

function messageData(botId: string, m: { id: string; conversationId: string; role: 'VISITOR' | 'ASSISTANT' | 'AGENT'; text: string; authorName: string | null; at: Date }) {
  return messageCreatedData(botId, { id: m.id, conversationId: m.conversationId, role: m.role, text: m.text, authorName: m.authorName, createdAt: m.at.toISOString() } as Parameters<typeof messageCreatedData>[1]);
}

function handOff(bot: DemoBot, conversationId: string, say: Say, next: (ms: number) => Date, event: (e: DomainEvent) => void): Date {
  const asked = next(30_000);
  say('VISITOR', 'Can I talk to a person please?', asked);
  notice(say, next(1_000), { kind: 'HANDOFF_REQUESTED', handoffReason: 'VISITOR_REQUEST' });
  event({ type: 'handoff.requested', data: { conversationId, botId: bot.botId, reason: 'VISITOR_REQUEST' } });
  notice(say, next(45_000), { kind: 'AGENT_JOINED', agentName: AGENT_NAME });
  say('AGENT', "Hi, I'm Sam. I've checked with our product team and will e-mail you the details today.", next(30_000), { authorName: AGENT_NAME });
  say('VISITOR', 'Thanks, that is great.', next(40_000));
  notice(say, next(20_000), { kind: 'HANDED_BACK', agentName: AGENT_NAME });
  return asked;
}

function notice(say: Say, at: Date, input: { kind: 'HANDOFF_REQUESTED' | 'AGENT_JOINED' | 'HANDED_BACK'; handoffReason?: 'VISITOR_REQUEST'; agentName?: string }): void {
  const full = { agentName: null, handoffReason: null, unavailableReason: null, nextOpeningAt: null, agentRemoved: false, ...input };
  say('SYSTEM', noticeText(full), at, { notice: full });
}

function leaveLead(batch: Batch, bot: DemoBot, conversationId: string, index: number, say: Say, next: (ms: number) => Date, event: (e: DomainEvent) => void): void {
  const name = ['Jordan Lee', 'Alex Martin', 'Priya Shah', 'Tomás García'][index % 4]!;
  const email = `${name.split(' ')[0]!.toLowerCase()}.${index}@example.com`;
  const at = next(25_000);
  const messageId = say('VISITOR', `Please contact me: ${name}, ${email}`, at);
  const leadId = demoId(bot.botId, `lead-${index}`);
  batch.leads.push([leadId, bot.tenantId, bot.botId, conversationId, messageId, name, email, true, at, at]);
  event({
    type: 'lead.captured',
    data: { leadId, botId: bot.botId, conversationId, created: true, has: { name: true, email: true, phone: false }, wantsContact: true, updatedAt: at.toISOString() },
  });
}

function rate(
  batch: Batch, bot: DemoBot, conversationId: string, answerId: string, index: number,
  random: () => number, next: (ms: number) => Date, answered: boolean, event: (e: DomainEvent) => void,
): void {
  if (random() < 0.55) {
    const helpful = answered ? random() < 0.85 : random() < 0.25;
    const at = next(5_000);
    const id = demoId(bot.botId, `answer-feedback-${index}`);
    batch.answerFeedback.push([id, bot.tenantId, bot.botId, conversationId, answerId, helpful, at, at]);
    event({
      type: 'feedback.submitted',
      data: {
        kind: 'answer', feedbackId: id, botId: bot.botId, conversationId, messageId: answerId, helpful, comment: null, previousHelpful: null,
        createdAt: at.toISOString(), updatedAt: at.toISOString(),
      },
    });
  }
  if (random() < 0.35) {
    const rating = answered ? 4 + Math.round(random()) : 1 + Math.floor(random() * 3);
    const at = next(8_000);
    const id = demoId(bot.botId, `conversation-rating-${index}`);
    batch.ratings.push([id, bot.tenantId, bot.botId, conversationId, rating, at, at]);
    event({
      type: 'feedback.submitted',
      data: {
        kind: 'conversation', feedbackId: id, botId: bot.botId, conversationId, rating, comment: null, previousRating: null,
        createdAt: at.toISOString(), updatedAt: at.toISOString(),
      },
    });
  }
}

interface MessageRow {
  id: string;
  tenantId: string;
  conversationId: string;
  role: Row['role'];
  text: string;
  at: Date;
  sources?: ReplySource[];
  provider?: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  costMicroUsd?: number;
  pricingVersion?: string;
  latencyMs?: number;
  timeToFirstTokenMs?: number;
  intent?: string;
  sentiment?: number;
  animation?: string;
  authorName?: string;
  notice?: Record<string, unknown>;
}

const MESSAGE_COLUMNS = [
  'id', 'tenant_id', 'conversation_id', 'role', 'text', 'sources', 'provider', 'model', 'input_tokens', 'output_tokens', 'cost_micro_usd',
  'pricing_version', 'latency_ms', 'time_to_first_token_ms', 'intent', 'sentiment', 'animation', 'author_name', 'notice', 'created_at',
] as const;
const MESSAGE_CASTS = { sources: 'jsonb', notice: 'jsonb' };

function messageValues(m: MessageRow): unknown[] {
  return [
    m.id, m.tenantId, m.conversationId, m.role, m.text, JSON.stringify(m.sources ?? []), m.provider ?? null, m.model ?? null,
    m.inputTokens ?? null, m.outputTokens ?? null, m.costMicroUsd ?? null, m.pricingVersion ?? null, m.latencyMs ?? null,
    m.timeToFirstTokenMs ?? null, m.intent ?? null, m.sentiment ?? null, m.animation ?? null, m.authorName ?? null,
    m.notice ? JSON.stringify(m.notice) : null, m.at,
  ];
}
