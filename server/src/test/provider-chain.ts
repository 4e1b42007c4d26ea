import type { TenantFixture } from './fixtures.ts';
import { graphqlOk } from './graphql-test-client.ts';
import { PUBLISH_BOT } from './operations.ts';

const DRAFT = /* GraphQL */ `query($id: ID!) { bot(id: $id) { draft draftRevision } }`;
const UPDATE_DRAFT = /* GraphQL */ `
  mutation($botId: ID!, $bundle: JSONObject!, $expectedRevision: Int) {
    updateBotDraft(botId: $botId, bundle: $bundle, expectedRevision: $expectedRevision) { draftRevision }
  }`;

/**
 * Gives a bot a provider chain (and optionally a system prompt) through the public API, as a
 * designer would, and publishes it so visitors get it.
 */
export async function publishProviderChain(
  graphqlUrl: string,
  bot: TenantFixture,
  providers: unknown[],
  systemPrompt?: string,
): Promise<void> {
  await publishDraftChange(graphqlUrl, bot, (draft) => ({
    ...draft,
    providers,
    personality: systemPrompt === undefined ? draft.personality : { ...draft.personality, systemPrompt },
  }));
}

/** Edits the bot's draft bundle through the public API, as a designer would, and publishes it. */
export async function publishDraftChange(
  graphqlUrl: string,
  bot: TenantFixture,
  edit: (draft: Record<string, any>) => Record<string, any>,
): Promise<void> {
  const { bot: current } = await graphqlOk(graphqlUrl, DRAFT, { id: bot.botId }, bot.accessToken);
  const bundle = edit(current.draft);
  await graphqlOk(graphqlUrl, UPDATE_DRAFT, { botId: bot.botId, bundle, expectedRevision: current.draftRevision }, bot.accessToken);
  await graphqlOk(graphqlUrl, PUBLISH_BOT, { botId: bot.botId }, bot.accessToken);
}
