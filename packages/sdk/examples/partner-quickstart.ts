/**
 * A partner's first minutes with the SDK, runnable as is:
 *
 *   MASCOT_URL=http://127.0.0.1:4000/graphql MASCOT_API_KEY=mk_… npx tsx packages/sdk/examples/partner-quickstart.ts
 *
 * Lists the tenant's bots, asks the first published one a question as a visitor would, and prints
 * the streamed answer with its sources. The API key needs the `read` scope.
 */
import { BotsDocument, ConversationEventsDocument, SendMessageDocument, StartConversationDocument, createMascotClient } from '../src/index.ts';

const url = process.env['MASCOT_URL'] ?? 'http://127.0.0.1:4000/graphql';
const apiKey = process.env['MASCOT_API_KEY'];
if (!apiKey) throw new Error('Set MASCOT_API_KEY to a key created with createApiKey (scope READ).');
const question = process.argv[2] ?? 'How much does the Pro plan cost?';

const partner = createMascotClient({ url, auth: { apiKey } });
const { bots } = await partner.request(BotsDocument, { first: 10 });
const bot = bots.edges.map((e) => e.node).find((b) => b.liveVersion);
if (!bot) throw new Error('No published bot yet: publish one first.');
console.log(`bot: ${bot.name} (version ${bot.liveVersion!.number})`);

// Visitors need no account: starting a conversation hands out a token for it alone.
const { startConversation } = await partner.request(StartConversationDocument, { embedId: bot.embedId });
const visitor = createMascotClient({ url, auth: { visitorToken: startConversation.visitorToken } });
const events = visitor.subscribe(ConversationEventsDocument, { conversationId: startConversation.conversationId });

let answer = '';
for await (const { conversationEvents: event } of events) {
  if (event.__typename === 'ConversationSubscribed') {
    // Subscribed first, then asked: no token of the reply can be missed.
    await visitor.request(SendMessageDocument, { conversationId: startConversation.conversationId, text: question });
  } else if (event.__typename === 'ReplyDelta') {
    answer += event.delta;
  } else if (event.__typename === 'ReplyCompleted') {
    console.log(`answer: ${event.message.text}`);
    for (const source of event.message.sources) console.log(`source [${source.marker}]: ${source.documentTitle}`);
    break;
  } else if (event.__typename === 'ReplyFailed') {
    throw new Error(`${event.code}: ${event.reason}`);
  }
}
console.log(`streamed ${answer.length} characters`);
await visitor.close();
