import { chunkText } from '@mascot/knowledge-core';
import { PRICING_TEXT, signUpAccount, type TenantFixture } from '../../server/src/test/fixtures.ts';
import { graphqlOk } from '../../server/src/test/graphql-test-client.ts';
import { ADD_KNOWLEDGE_TEXT, CREATE_BOT } from '../../server/src/test/operations.ts';
import { ownerQuery } from '../../server/src/test/owner-database.ts';
import { publishProviderChain } from '../../server/src/test/provider-chain.ts';
import { BENCH_MODEL } from '../openai-direct.ts';
import { chunkAt } from '../synthetic-corpus.ts';

/** `addKnowledgeText` takes at most 200,000 characters (knowledge.service.ts); stay a little under. */
const DOCUMENT_CHARS = 190_000;

export interface KnowledgeDocument {
  title: string;
  text: string;
}

export const PRICE_LIST: KnowledgeDocument[] = [{ title: 'Price list', text: PRICING_TEXT }];

/**
 * A tenant of its own on the Pro plan with one published bot answering through the `openai` provider
 * (i.e. the fake provider, via OPENAI_BASE_URL), built through the public API as a designer would.
 * The plan is set in the database — there is no API for it (billing's job) — because the free plan's
 * 1,000 messages a month and 5 MB of knowledge would cap the bench, not the server.
 */
export async function benchBot(graphqlUrl: string, databaseUrl: string, documents: KnowledgeDocument[]): Promise<TenantFixture> {
  const owner = await signUpAccount(graphqlUrl, 'Bench Inc');
  await ownerQuery(databaseUrl, `update tenant set plan = 'pro' where id = $1`, [owner.tenantId]);
  const token = owner.accessToken;
  const { createBot } = await graphqlOk(graphqlUrl, CREATE_BOT, { input: { name: 'Pip' } }, token);
  for (const document of documents) {
    await graphqlOk(graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId: createBot.id, input: document }, token);
  }
  const bot: TenantFixture = { accessToken: token, tenantId: owner.tenantId, botId: createBot.id, embedId: createBot.embedId };
  await publishProviderChain(graphqlUrl, bot, [{ provider: 'openai', model: BENCH_MODEL }]);
  return bot;
}

/**
 * Markdown documents holding `chunks` retrieval chunks in all: one `##` section per synthetic passage
 * (60–120 words, under the chunker's 220-token limit, so one section is one chunk), packed into
 * documents of up to 190,000 characters. The count is checked with the server's own chunker.
 */
export function knowledgeDocuments(chunks: number): { documents: KnowledgeDocument[]; chunkCount: number } {
  const documents: KnowledgeDocument[] = [];
  let sections: string[] = [];
  let length = 0;
  const flush = () => {
    if (sections.length === 0) return;
    documents.push({ title: `Handbook part ${documents.length + 1}`, text: sections.join('\n\n') });
    sections = [];
    length = 0;
  };
  for (let i = 0; i < chunks; i++) {
    const section = `## Note ${i + 1}\n${chunkAt(i)}`;
    if (length + section.length + 2 > DOCUMENT_CHARS) flush();
    sections.push(section);
    length += section.length + 2;
  }
  flush();
  const chunkCount = documents.reduce((sum, document) => sum + chunkText(document.text).length, 0);
  return { documents, chunkCount };
}
