import { graphqlOk, recordSubscription, wsClient, type EventRecorder } from './graphql-test-client.ts';

const QUEUE = /* GraphQL */ `
  subscription AgentQueue { waitingConversations { change conversation { id status reason } } }`;
const AVAILABILITY = /* GraphQL */ `query AgentsOnline { handoffAvailability { onlineAgentIds } }`;

export interface OnlineAgent<T> {
  queue: EventRecorder<T>;
  /** Closes the agent client; resolves once the server counts one agent fewer online (the member went away). */
  leave(): Promise<void>;
}

/**
 * An agent client following the handoff queue, so the member of `token` counts as online and visitors
 * asking for a person are queued (handoff-availability, issue 14). Resolves once the server sees them
 * online (asked again until it does: the subscription starts asynchronously).
 */
export async function agentOnline<T = { waitingConversations: { change: string; conversation: { id: string; status: string; reason: string | null } } }>(
  server: { graphqlUrl: string; websocketUrl: string },
  token: string,
): Promise<OnlineAgent<T>> {
  const online = async () => ((await graphqlOk(server.graphqlUrl, AVAILABILITY, {}, token)).handoffAvailability.onlineAgentIds as string[]).length;
  const before = await online();
  const client = wsClient(server.websocketUrl, token);
  const queue = recordSubscription<T>(client, QUEUE, {});
  const leave = async () => {
    await client.dispose();
    // The server hears the socket close a moment later; a visitor asking meanwhile would still find the agent.
    await until(async () => (await online()) <= before, 'the agent never went away');
  };
  // Someone else of the tenant may be online already: then this client only adds nothing to wait for.
  await until(async () => (await online()) > before || before > 0, 'the agent never came online');
  return { queue, leave };
}

async function until(condition: () => Promise<boolean>, failure: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(failure);
}
