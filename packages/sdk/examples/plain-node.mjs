/**
 * The SDK as a partner installs it: plain JavaScript on Node 22 (no TypeScript, no tsx, no bundler).
 *
 *   npm install @mascot/sdk          # or the tarball from `npm pack -w @mascot/sdk`
 *   MASCOT_URL=https://mascot.example.com/graphql node plain-node.mjs
 *
 * Signs up a new account, creates a bot with a little knowledge, publishes it, then talks to it as a
 * visitor and prints the streamed answer with its sources. The test suite runs this file against a
 * real server after installing the packed SDK into an empty folder (server/src/app/sdk-package.int.test.ts).
 */
import {
  AddKnowledgeTextDocument,
  ConversationEventsDocument,
  CreateBotDocument,
  PublishBotDocument,
  SendMessageDocument,
  SignUpDocument,
  StartConversationDocument,
  createMascotClient,
} from '@mascot/sdk';

const url = process.env.MASCOT_URL;
if (!url) throw new Error('Set MASCOT_URL to the GraphQL endpoint, such as http://127.0.0.1:4000/graphql.');

const anonymous = createMascotClient({ url });
const { signUp } = await anonymous.request(SignUpDocument, {
  input: { email: `partner-${crypto.randomUUID()}@example.com`, password: 'correct horse battery', tenantName: 'Example Co' },
});
const owner = createMascotClient({ url, auth: { accessToken: signUp.accessToken } });

const { createBot: bot } = await owner.request(CreateBotDocument, { input: { name: 'Pip' } });
await owner.request(AddKnowledgeTextDocument, {
  botId: bot.id,
  input: { title: 'Price list', text: '# Pricing\nThe Pro plan costs 29 dollars per month.' },
});
const { publishBot } = await owner.request(PublishBotDocument, { botId: bot.id });
console.log(`published: ${bot.name} (version ${publishBot.number})`);

// Visitors need no account: starting a conversation hands out a token for that conversation alone.
const { startConversation } = await anonymous.request(StartConversationDocument, { embedId: bot.embedId });
const { conversationId, visitorToken } = startConversation;
const visitor = createMascotClient({ url, auth: { visitorToken } });

let streamed = '';
for await (const { conversationEvents: event } of visitor.subscribe(ConversationEventsDocument, { conversationId })) {
  if (event.__typename === 'ConversationSubscribed') {
    // Subscribed first, then asked: no token of the reply can be missed.
    await visitor.request(SendMessageDocument, { conversationId, text: 'How much is the Pro plan?' });
  } else if (event.__typename === 'ReplyDelta') {
    streamed += event.delta;
  } else if (event.__typename === 'ReplyCompleted') {
    console.log(`answer: ${event.message.text}`);
    for (const source of event.message.sources) console.log(`source [${source.marker}]: ${source.documentTitle}`);
    console.log(`streamed: ${streamed === event.message.text ? 'the whole answer' : `only ${streamed.length} characters`}`);
    break;
  } else if (event.__typename === 'ReplyFailed') {
    throw new Error(`${event.code}: ${event.reason}`);
  }
}
await visitor.close();
