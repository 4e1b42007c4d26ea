import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, renderSchemaSDL } from './schema-sdl.ts';

describe('schema/schema.graphql', () => {
  it('matches the schema the server code builds (run `npm run schema:emit` after changing the API)', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    expect(committed).toBe(await renderSchemaSDL());
  });

  it('keeps the contract names partners rely on', async () => {
    const sdl = await renderSchemaSDL();
    for (const fragment of [
      'signUp(input: SignUpInput!): AuthPayload!',
      'createBot(input: CreateBotInput!): Bot!',
      'addKnowledgeText(botId: ID!, input: KnowledgeTextInput!): KnowledgeDocument!',
      'publishBot(botId: ID!): BotVersion!',
      // visitorId and hostOrigin are optional: widgets and SDK clients that pass only embedId keep working.
      'startConversation(embedId: String!, hostOrigin: String, visitorId: String): VisitorSession!',
      'sendMessage(conversationId: ID!, text: String!): Message!',
      // afterSeq is optional: clients written before reconnect replay keep working unchanged.
      'conversationEvents(afterSeq: Int, conversationId: ID!): ConversationEvent!',
    ]) {
      expect(sdl).toContain(fragment);
    }
    expect(sdl).toMatch(/union ConversationEvent = .*ReplyCompleted.*ReplyDelta/);
  });
});
