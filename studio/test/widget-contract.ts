// Asks a published bot a question the way the widget does: startConversation with the public embed
// id, subscribe to the conversation's events, sendMessage, wait for the completed reply.
import { ConversationEventsDocument, SendMessageDocument, StartConversationDocument, createMascotClient } from '@mascot/sdk';

export interface WidgetReply {
  greeting: string;
  text: string;
  sources: { marker: number; documentTitle: string }[];
}

export async function askThroughWidget(graphqlUrl: string, embedId: string, question: string): Promise<WidgetReply> {
  const anonymous = createMascotClient({ url: graphqlUrl });
  const { startConversation } = await anonymous.request(StartConversationDocument, { embedId });
  const visitor = createMascotClient({ url: graphqlUrl, auth: { visitorToken: startConversation.visitorToken } });
  try {
    const events = visitor.subscribe(ConversationEventsDocument, { conversationId: startConversation.conversationId });
    const first = await events.next(); // ConversationSubscribed: the socket is listening before we send
    if (first.done) throw new Error('the conversation events ended before they started');
    await visitor.request(SendMessageDocument, { conversationId: startConversation.conversationId, text: question });
    for await (const { conversationEvents: event } of events) {
      if (event.__typename === 'ReplyFailed') throw new Error(`the reply failed: ${event.code} ${event.reason}`);
      if (event.__typename === 'ReplyCompleted') {
        return { greeting: startConversation.bot.greeting, text: event.message.text, sources: event.message.sources };
      }
    }
    throw new Error('the conversation events ended without a reply');
  } finally {
    await visitor.close();
  }
}
