import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentOnline } from '../../test/agent-online.ts';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, recordSubscription, wsClient, type EventRecorder } from '../../test/graphql-test-client.ts';
import { SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { clusterServicesAvailable, startTestCluster, type TestCluster } from '../../test/test-cluster.ts';
import type { TestServer } from '../../test/test-server.ts';

/*
 * Agent presence across instances (agent-presence.ts): an agent whose client follows the queue on one
 * instance is online for a visitor served by another, and away once that client is gone.
 */

const EVENTS = /* GraphQL */ `
  subscription Events($conversationId: ID!) {
    conversationEvents(conversationId: $conversationId) {
      __typename
      ... on ConversationSubscribed { seq }
      ... on HandoffStatusChanged { seq status }
      ... on HandoffUnavailable { seq cause }
    }
  }`;
const AVAILABILITY = /* GraphQL */ `query { handoffAvailability { onlineAgentIds } }`;

type Event = { conversationEvents: { __typename: string; seq: number; status?: string; cause?: string } };

let cluster: TestCluster;
let bot: TenantFixture;
const sockets: { dispose(): unknown }[] = [];

beforeAll(async () => {
  if (!clusterServicesAvailable) return;
  cluster = await startTestCluster();
  bot = await publishedBot(cluster.instances[0].graphqlUrl);
});
afterAll(async () => {
  for (const socket of sockets) await socket.dispose();
  await cluster?.stop();
});

/** A visitor on `server` asking for a person outright; resolves with the conversation's events. */
async function askForPerson(server: TestServer): Promise<EventRecorder<Event>> {
  const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
  const client = wsClient(server.websocketUrl, startConversation.visitorToken);
  sockets.push(client);
  const events = recordSubscription<Event>(client, EVENTS, { conversationId: startConversation.conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: startConversation.conversationId, text: 'Can I talk to a human, please?' }, startConversation.visitorToken);
  return events;
}

const outcome = (events: EventRecorder<Event>) =>
  events.waitFor((e) => e.conversationEvents.__typename === 'HandoffStatusChanged' || e.conversationEvents.__typename === 'HandoffUnavailable');

describe.skipIf(!clusterServicesAvailable)('agent presence across instances', () => {
  it('counts an agent connected to another instance as online, and as away once their client is gone', async () => {
    const [first, second] = cluster.instances;
    const agent = await agentOnline(first, bot.accessToken);
    // Asked on the other instance, which holds no agent itself: it probes over the bus.
    const { handoffAvailability } = await graphqlOk(second.graphqlUrl, AVAILABILITY, {}, bot.accessToken);
    expect(handoffAvailability.onlineAgentIds).toHaveLength(1);
    const queued = await outcome(await askForPerson(second));
    expect(queued.conversationEvents).toMatchObject({ __typename: 'HandoffStatusChanged', status: 'WAITING_FOR_AGENT' });

    await agent.leave();
    for (let attempt = 0; attempt < 200; attempt++) {
      const { handoffAvailability: now } = await graphqlOk(second.graphqlUrl, AVAILABILITY, {}, bot.accessToken);
      if (now.onlineAgentIds.length === 0) break;
    }
    const refused = await outcome(await askForPerson(second));
    expect(refused.conversationEvents).toMatchObject({ __typename: 'HandoffUnavailable', cause: 'NO_AGENT_ONLINE' });
  });
});
