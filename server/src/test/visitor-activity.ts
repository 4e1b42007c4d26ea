import { graphqlOk } from './graphql-test-client.ts';
import { subscribeToEvents } from './conversation-stream.ts';
import { RATE_ANSWER, RATE_CONVERSATION, SEND_MESSAGE } from './operations.ts';

const START_AS = /* GraphQL */ `
  mutation StartAs($embedId: String!, $visitorId: String) { startConversation(embedId: $embedId, visitorId: $visitorId) { conversationId visitorToken } }`;

const SUBMIT_CONTACT = /* GraphQL */ `
  mutation Contact($conversationId: ID!, $input: ContactDetailsInput!) {
    submitContactDetails(conversationId: $conversationId, input: $input) { leadId }
  }`;

export interface VisitorActivity {
  conversationId: string;
  visitorMessageId: string;
  replyMessageId: string;
}

/**
 * One visitor's full footprint in a conversation, as the widget makes it: a question and its answered
 * reply, contact details left through the contact form, a rated answer and a rated conversation. Every
 * table a visitor reaches gets a row (messages, lead, feedback, analytics).
 */
export async function visitorActivity(
  server: { graphqlUrl: string; websocketUrl: string },
  embedId: string,
  visitor: { visitorId: string; question: string; email: string },
): Promise<VisitorActivity> {
  const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_AS, { embedId, visitorId: visitor.visitorId });
  const { client, recorder } = await subscribeToEvents(server.websocketUrl, session, null);
  try {
    const { sendMessage } = await graphqlOk(
      server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: visitor.question }, session.visitorToken,
    );
    const completed = await recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted', 30_000);
    const replyMessageId = completed.conversationEvents.message!.id;
    const auth = session.visitorToken;
    await graphqlOk(server.graphqlUrl, SUBMIT_CONTACT, {
      conversationId: session.conversationId, input: { name: 'Ada Visitor', email: visitor.email, consent: true },
    }, auth);
    await graphqlOk(server.graphqlUrl, RATE_ANSWER, { conversationId: session.conversationId, messageId: replyMessageId, input: { helpful: true } }, auth);
    await graphqlOk(server.graphqlUrl, RATE_CONVERSATION, { conversationId: session.conversationId, input: { rating: 5 } }, auth);
    return { conversationId: session.conversationId, visitorMessageId: sendMessage.id, replyMessageId };
  } finally {
    await recorder.close();
    await client.dispose();
  }
}
