import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../../core/db/index.ts';
import { publishedBot, type TenantFixture } from '../../../test/fixtures.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient } from '../../../test/graphql-test-client.ts';
import { ownerQuery } from '../../../test/owner-database.ts';
import { AUDIT_LOG, CONVERSATION_EVENTS, PUBLISH_BOT, SEND_MESSAGE } from '../../../test/operations.ts';
import { startVisitorSession } from '../../../test/conversation-stream.ts';
import { startFakeEmbeddingsServer, type FakeEmbeddingsServer } from '../../../test/fake-openai-embeddings.ts';
import { startTestServer, type TestServer } from '../../../test/test-server.ts';
import { recordIngestionEvents } from '../ingestion-events.fixture.ts';
import { retrievePassages } from '../retrieval.service.ts';
import { findCuratedAnswer, type CuratedAnswerMatch } from './curated-answer-match.ts';

const FIELDS = 'id botId question paraphrases answer createdAt updatedAt';
const CREATE = /* GraphQL */ `mutation($botId: ID!, $input: CuratedAnswerInput!) { createCuratedAnswer(botId: $botId, input: $input) { ${FIELDS} } }`;
const UPDATE = /* GraphQL */ `mutation($id: ID!, $input: UpdateCuratedAnswerInput!) { updateCuratedAnswer(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = /* GraphQL */ `mutation($id: ID!) { deleteCuratedAnswer(id: $id) { id question } }`;
const LIST = /* GraphQL */ `query($botId: ID!) { curatedAnswers(botId: $botId, first: 100) { edges { node { ${FIELDS} } } totalCount } }`;
const EXPORT = /* GraphQL */ `query($botId: ID!) { curatedAnswersCsv(botId: $botId) }`;
const IMPORT = /* GraphQL */ `
  mutation($botId: ID!, $csv: String!, $replace: Boolean) { importCuratedAnswersCsv(botId: $botId, csv: $csv, replace: $replace) { created updated deleted } }`;
const ROLLBACK = /* GraphQL */ `mutation($botId: ID!, $version: Int!) { rollbackBot(botId: $botId, version: $version) { number rolledBackFrom } }`;
const KNOWLEDGE = /* GraphQL */ `query($botId: ID!) { knowledgeDocuments(botId: $botId) { edges { node { title } } } }`;

let server: TestServer;
let bot: TenantFixture;
/** An OpenAI embeddings endpoint, for the bot that changes its embedding model (the others stay offline). */
let embeddings: FakeEmbeddingsServer;

beforeAll(async () => {
  embeddings = await startFakeEmbeddingsServer({ apiKey: 'sk-test' });
  server = await startTestServer({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: embeddings.baseUrl });
  // Its knowledge also answers the Pro plan's price (PRICING_TEXT: "The Pro plan costs 29 dollars per month").
  bot = await publishedBot(server.graphqlUrl);
});
afterAll(async () => {
  await server?.stop();
  await embeddings?.close();
});

const code = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;
const create = async (fixture: TenantFixture, input: Record<string, unknown>) =>
  (await graphqlOk(server.graphqlUrl, CREATE, { botId: fixture.botId, input }, fixture.accessToken)).createCuratedAnswer;
const list = async (fixture: TenantFixture) =>
  (await graphqlOk(server.graphqlUrl, LIST, { botId: fixture.botId }, fixture.accessToken)).curatedAnswers.edges.map((e: any) => e.node);
const publish = async (fixture: TenantFixture) => (await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: fixture.botId }, fixture.accessToken)).publishBot.number as number;

/** A visitor's first question in a new conversation: the completed reply as the widget receives it, and how it was stored. */
async function ask(fixture: TenantFixture, text: string) {
  const session = await startVisitorSession(server.graphqlUrl, fixture.embedId);
  const client = wsClient(server.websocketUrl, session.visitorToken);
  const events = recordSubscription(client, CONVERSATION_EVENTS, { conversationId: session.conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text }, session.visitorToken);
  const done = await events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
  await client.dispose();
  const message = done.conversationEvents.message as { id: string; text: string; sources: { documentTitle: string; snippet: string; sectionPath: string[] }[] };
  const [stored] = await ownerQuery(server.databaseUrl, 'select provider, cost_micro_usd, cache_hit from message where id = $1', [message.id]);
  return { ...message, stored: stored! };
}

describe('curated answers', () => {
  it('are written, listed, edited under the same id and deleted in the draft, each change audited', async () => {
    const fixture = await publishedBot(server.graphqlUrl);
    const made = await create(fixture, { question: 'Do you ship abroad?', paraphrases: ['International shipping?', 'international shipping?'], answer: 'Yes, to 40 countries.' });
    expect(made).toMatchObject({ botId: fixture.botId, question: 'Do you ship abroad?', paraphrases: ['International shipping?'], answer: 'Yes, to 40 countries.' });
    const edited = (await graphqlOk(server.graphqlUrl, UPDATE, { id: made.id, input: { answer: 'Yes, to 45 countries.' } }, fixture.accessToken)).updateCuratedAnswer;
    expect(edited).toMatchObject({ id: made.id, question: 'Do you ship abroad?', paraphrases: ['International shipping?'], answer: 'Yes, to 45 countries.', createdAt: made.createdAt });
    expect(await list(fixture)).toEqual([edited]);
    // Curated answers have their own list, not the documents'.
    const documents = (await graphqlOk(server.graphqlUrl, KNOWLEDGE, { botId: fixture.botId }, fixture.accessToken)).knowledgeDocuments.edges;
    expect(documents.map((e: any) => e.node.title)).toEqual(['Price list']);
    // Nothing published pins the first revision: editing deleted it with its document.
    const revisions = await ownerQuery(server.databaseUrl, 'select id, in_draft from curated_answer where bot_id = $1', [fixture.botId]);
    expect(revisions).toHaveLength(1);

    await graphqlOk(server.graphqlUrl, DELETE, { id: made.id }, fixture.accessToken);
    expect(await list(fixture)).toEqual([]);
    const gone = await graphqlRequest(server.graphqlUrl, UPDATE, { id: made.id, input: { answer: 'again' } }, fixture.accessToken);
    expect(code(gone)).toBe('NOT_FOUND');
    const invalid = await graphqlRequest(server.graphqlUrl, CREATE, { botId: fixture.botId, input: { question: '  ', answer: 'x' } }, fixture.accessToken);
    expect(code(invalid)).toBe('BAD_USER_INPUT');

    const audit = (await graphqlOk(server.graphqlUrl, AUDIT_LOG, { first: 20 }, fixture.accessToken)).auditLog.edges.map((e: any) => e.node);
    expect(audit.filter((e: any) => e.targetId === made.id).map((e: any) => e.action)).toEqual([
      'knowledge.curated_answer_deleted', 'knowledge.curated_answer_updated', 'knowledge.curated_answer_created',
    ]);
  });

  it('answer a matching question ahead of a document passage that also answers it, cited as "Answer from the team"', async () => {
    const team = 'The Pro plan is 29 dollars a month, or 290 dollars a year when paid yearly.';
    await create(bot, { question: 'How much does the Pro plan cost?', paraphrases: ["What's the price of the Pro plan?", 'Pro plan pricing'], answer: team });
    // Visitors only get it once published.
    const before = await ask(bot, 'How much does the Pro plan cost?');
    expect(before.text).not.toBe(team);
    expect(before.sources[0]).toMatchObject({ documentTitle: 'Price list' });
    await publish(bot);

    const reply = await ask(bot, 'how much does the pro plan cost?');
    expect(reply.text).toBe(team);
    expect(reply.sources).toEqual([{ marker: 1, documentTitle: 'Answer from the team', snippet: team, sectionPath: ['How much does the Pro plan cost?'] }]);
    expect(reply.stored).toMatchObject({ provider: 'curated', cost_micro_usd: '0', cache_hit: false });
  });

  it('match a paraphrase asked with typos', async () => {
    const reply = await ask(bot, 'whats the prise of the pro plan');
    expect(reply.sources[0]?.documentTitle).toBe('Answer from the team');
    expect(reply.text).toMatch(/290 dollars a year/);
  });

  it('leave unrelated and merely related questions to the knowledge', async () => {
    const support = await ask(bot, 'When is support open?');
    expect(support.sources[0]?.documentTitle).toBe('Price list');
    expect(support.stored.provider).toBe('offline');
    // Shares "plan" and "cost" with the entry, but asks about another plan.
    const starter = await ask(bot, 'What does the Starter plan cost?');
    expect(starter.sources.map((s) => s.documentTitle)).not.toContain('Answer from the team');
  });

  it('travel with publish and rollback: a rolled-back version answers with the entry it froze', async () => {
    const fixture = await publishedBot(server.graphqlUrl);
    const entry = await create(fixture, { question: 'Can I cancel my subscription at any time?', answer: 'Answer A: yes, cancel any time from Settings.' });
    const v1 = await publish(fixture);
    expect((await ask(fixture, 'can I cancel my subscription any time?')).text).toBe('Answer A: yes, cancel any time from Settings.');

    await graphqlOk(server.graphqlUrl, UPDATE, { id: entry.id, input: { answer: 'Answer B: yes, and unused days are refunded.' } }, fixture.accessToken);
    // The draft changed; the live version still answers A.
    expect((await ask(fixture, 'can I cancel my subscription any time?')).text).toMatch(/^Answer A/);
    const v2 = await publish(fixture);
    expect(v2).toBe(v1 + 1);
    expect((await ask(fixture, 'can I cancel my subscription any time?')).text).toMatch(/^Answer B/);

    const rolled = (await graphqlOk(server.graphqlUrl, ROLLBACK, { botId: fixture.botId, version: v1 }, fixture.accessToken)).rollbackBot;
    expect(rolled).toEqual({ number: v2 + 1, rolledBackFrom: v1 });
    expect((await ask(fixture, 'can I cancel my subscription any time?')).text).toMatch(/^Answer A/);
    // Rolling back changes what is live, not the draft (as for the rest of the bot).
    expect((await list(fixture))[0]).toMatchObject({ id: entry.id, answer: 'Answer B: yes, and unused days are refunded.' });

    // Deleting the entry from the draft: the live version keeps it until the next publication.
    await graphqlOk(server.graphqlUrl, DELETE, { id: entry.id }, fixture.accessToken);
    expect((await ask(fixture, 'can I cancel my subscription any time?')).text).toMatch(/^Answer A/);
    await publish(fixture);
    expect((await ask(fixture, 'can I cancel my subscription any time?')).sources.map((s) => s.documentTitle)).not.toContain('Answer from the team');
  });

  it('round-trip through CSV, formula-looking cells included, and refuse a bad file without writing anything', async () => {
    const fixture = await publishedBot(server.graphqlUrl);
    await create(fixture, { question: 'Is there a discount code?', paraphrases: ['Promo code?', 'Any coupons?'], answer: '=HYPERLINK("https://evil.example","Click")' });
    await create(fixture, { question: 'Where are you based?', answer: 'In Lisbon, "by the river", since 2019.' });
    const before = await list(fixture);
    const csv = (await graphqlOk(server.graphqlUrl, EXPORT, { botId: fixture.botId }, fixture.accessToken)).curatedAnswersCsv as string;
    expect(csv.split('\n')[0]).toBe('id,question,paraphrases,answer');
    // A spreadsheet opening the export shows the formula as text.
    expect(csv).toContain(`"'=HYPERLINK(""https://evil.example"",""Click"")"`);
    expect(csv).toContain('"Promo code?\nAny coupons?"');

    const again = (await graphqlOk(server.graphqlUrl, IMPORT, { botId: fixture.botId, csv, replace: true }, fixture.accessToken)).importCuratedAnswersCsv;
    expect(again).toEqual({ created: 0, updated: 2, deleted: 0 });
    const strip = (entries: any[]) => entries.map(({ updatedAt: _updated, ...rest }) => rest);
    expect(strip(await list(fixture))).toEqual(strip(before));

    const added = `question,answer\n"Do you have gift cards?","Yes, from 10 dollars."\n`;
    expect((await graphqlOk(server.graphqlUrl, IMPORT, { botId: fixture.botId, csv: added }, fixture.accessToken)).importCuratedAnswersCsv)
      .toEqual({ created: 1, updated: 0, deleted: 0 });
    const entries = await list(fixture);
    expect(entries).toHaveLength(3);

    const unclosed = await graphqlRequest(server.graphqlUrl, IMPORT, { botId: fixture.botId, csv: 'question,answer\n"Open quote,never closed\n', replace: true }, fixture.accessToken);
    expect(code(unclosed)).toBe('BAD_USER_INPUT');
    expect(unclosed.errors![0]!.extensions).toMatchObject({ fieldErrors: [{ field: 'csv' }] });
    // One good row, one without an answer: nothing of the file is written.
    const badRow = await graphqlRequest(server.graphqlUrl, IMPORT, {
      botId: fixture.botId, csv: 'question,answer\nGood question?,Good answer.\nNo answer here?,\n', replace: true,
    }, fixture.accessToken);
    expect(code(badRow)).toBe('BAD_USER_INPUT');
    expect(badRow.errors![0]!.extensions).toMatchObject({ fieldErrors: [{ field: 'csv.row.2.answer', message: 'must not be empty' }] });
    const noColumns = await graphqlRequest(server.graphqlUrl, IMPORT, { botId: fixture.botId, csv: 'q;a\nx;y\n' }, fixture.accessToken);
    expect(code(noColumns)).toBe('BAD_USER_INPUT');
    const foreignId = await graphqlRequest(server.graphqlUrl, IMPORT, {
      botId: fixture.botId, csv: `id,question,answer\n${bot.botId},Some question here?,Some answer.\n`,
    }, fixture.accessToken);
    expect(foreignId.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'csv.row.1.id' }] });
    expect(await list(fixture)).toEqual(entries);
  });

  it('keep matching after the bot changes its embedding model: the re-embedding covers them', async () => {
    const fixture = await publishedBot(server.graphqlUrl);
    await create(fixture, { question: 'Do you offer student discounts?', paraphrases: ['Is there a discount for students?'], answer: 'Students get 50 % off with a valid student card.' });
    await publish(fixture);
    const recording = await recordIngestionEvents(server.websocketUrl, fixture.accessToken, fixture.botId);
    try {
      const { setKnowledgeEmbeddingModel } = await graphqlOk(server.graphqlUrl, /* GraphQL */ `
        mutation($botId: ID!, $input: EmbeddingModelInput!) { setKnowledgeEmbeddingModel(botId: $botId, input: $input) { reindexJob { id } } }`,
      { botId: fixture.botId, input: { provider: 'OPENAI', model: 'text-embedding-3-small', dimensions: 768 } }, fixture.accessToken);
      expect((await recording.finished(setKnowledgeEmbeddingModel.reindexJob.id)).ingestionEvents.status).toBe('SUCCEEDED');
    } finally {
      await recording.close();
    }
    // Only vectors of the new model are left, one per question and paraphrase.
    const variants = await ownerQuery(server.databaseUrl, 'select embedding_model as model, vector_dims(embedding) as dims, count(*)::int as n from curated_answer_variant where bot_id = $1 group by 1, 2', [fixture.botId]);
    expect(variants).toEqual([{ model: 'openai/text-embedding-3-small@768', dims: 768, n: 2 }]);
    const reply = await ask(fixture, 'is there a discount for studnets?');
    expect(reply.sources[0]?.documentTitle).toBe('Answer from the team');
    expect(reply.text).toBe('Students get 50 % off with a valid student card.');
    // An entry written now is embedded by the new model.
    const asked = embeddings.requests.length;
    await create(fixture, { question: 'Do you offer gift wrapping?', answer: 'Yes, for 3 dollars.' });
    expect(embeddings.requests.slice(asked).flatMap((r) => r.inputs)).toEqual(['Do you offer gift wrapping?']);
  });

  it('are kept apart by row-level security', async () => {
    const other = await publishedBot(server.graphqlUrl);
    await create(other, { question: 'What is the secret discount?', answer: 'Tenant B only.' });
    const seen = await inTenant(server.orm.em.fork(), bot.tenantId, async (tx) => ({
      answers: await tx.execute<{ tenant_id: string }[]>('select tenant_id from curated_answer'),
      variants: await tx.execute<{ tenant_id: string }[]>('select tenant_id from curated_answer_variant'),
    }));
    expect(seen.answers.length).toBeGreaterThan(0);
    expect(new Set([...seen.answers, ...seen.variants].map((r) => r.tenant_id))).toEqual(new Set([bot.tenantId]));
    const [victim] = await ownerQuery<{ id: string }>(server.databaseUrl, 'select id from curated_answer where tenant_id = $1', [other.tenantId]);
    await expect(
      inTenant(server.orm.em.fork(), bot.tenantId, (tx) => tx.execute(`update curated_answer set answer = 'hijacked' where id = ?`, [victim!.id], 'run')),
    ).resolves.toMatchObject({ affectedRows: 0 });
    await expect(
      inTenant(server.orm.em.fork(), bot.tenantId, (tx) =>
        tx.execute(`insert into curated_answer_variant (id, tenant_id, bot_id, answer_id, text, embedding, embedding_model)
                    values (gen_random_uuid(), ?, ?, ?, 'x', '[1,0]', 'offline')`, [other.tenantId, other.botId, victim!.id])),
    ).rejects.toThrow(/row-level security/);
    // Through the API another tenant's entry does not exist.
    const entry = (await list(other))[0];
    expect(code(await graphqlRequest(server.graphqlUrl, DELETE, { id: entry.id }, bot.accessToken))).toBe('NOT_FOUND');
    expect(code(await graphqlRequest(server.graphqlUrl, EXPORT, { botId: other.botId }, bot.accessToken))).toBe('NOT_FOUND');
  });
});

/**
 * The matching test set the thresholds were chosen with (curated-answer-match.ts): visitor-style
 * rephrasings with typos must match their entry; unrelated questions, near misses that share words
 * with an entry, and one-word questions must not.
 */
describe('the matching test set', () => {
  const ENTRIES = {
    reset: { question: 'How do I reset my password?', paraphrases: ['I forgot my password', "I can't log in and need a new password"] },
    ship: { question: 'Do you ship internationally?', paraphrases: ['Can I order from outside the country?', 'Do you deliver abroad?'] },
    refund: { question: 'What is your refund policy?', paraphrases: ['Can I get my money back?', 'How do refunds work?'] },
    pro: { question: 'How much does the Pro plan cost?', paraphrases: ["What's the price of the Pro plan?", 'Pro plan pricing'] },
    hours: { question: 'When is your support team available?', paraphrases: ['What are your support hours?'] },
  } as const;
  const PROBES: [string, keyof typeof ENTRIES | null][] = [
    ['how do i reset my pasword', 'reset'], ['forgot my passwrod', 'reset'], ['password reset', 'reset'], ['I forgot the password for my account', 'reset'],
    ['do you deliver abroad?', 'ship'], ['do you ship internationaly', 'ship'], ['can i order from abroad', 'ship'], ['do you ship to other countries', 'ship'],
    ['can i get a refund', 'refund'], ['how do refunds work', 'refund'], ['i want my money back', 'refund'], ['whats your refnud policy', 'refund'],
    ['how much is the pro plan', 'pro'], ['whats the prise of the pro plan', 'pro'], ['pro plan price', 'pro'], ['how much does pro cost', 'pro'],
    ['when is support available', 'hours'], ['what are your suport hours', 'hours'],
    ['How do I change my email address?', null], ['do you have a mobile app', null], ['how much does shipping cost', null], ['Can I reset my router?', null],
    ['what is the enterprise plan', null], ['is my data encrypted', null], ['how do I delete my account', null], ['who founded the company', null],
    ['password', null], ['pro', null], ['what is your privacy policy', null], ['how long does delivery take', null], ['can I pay by card', null],
    ['do you have a free plan', null], ['I want to talk to support', null], ['what time do you open', null],
    ['What does the Starter plan cost?', null], ['how much does the team plan cost', null], ['what is the refund policy for the pro plan', null],
  ];
  let fixture: TenantFixture;
  const byQuestion = new Map<string, string>();

  beforeAll(async () => {
    fixture = await publishedBot(server.graphqlUrl);
    for (const [key, entry] of Object.entries(ENTRIES)) {
      byQuestion.set((await create(fixture, { ...entry, paraphrases: [...entry.paraphrases], answer: `Answer ${key}.` })).question, key);
    }
  });

  it.each(PROBES)('%s → %s', async (probe, expected) => {
    const documents = await ownerQuery<{ id: string }>(server.databaseUrl, 'select id from knowledge_document where bot_id = $1', [fixture.botId]);
    const match = await inTenant(server.orm.em.fork(), fixture.tenantId, async (tx) => {
      let found: CuratedAnswerMatch | null = null;
      const scope = { tenantId: fixture.tenantId, botId: fixture.botId, documentIds: documents.map((d) => d.id) };
      // The reply path's own sequence: the question embedded once, the curated lookup before the vector search.
      await retrievePassages(tx, scope, probe, {
        preempt: async (vector) => {
          found = vector ? await findCuratedAnswer(tx, { ...scope, searchConfig: 'english' }, probe, vector) : null;
          return found !== null;
        },
      });
      return found as CuratedAnswerMatch | null;
    });
    expect(match ? byQuestion.get(match.question) : null).toBe(expected);
  });
});
