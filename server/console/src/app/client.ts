import { cacheExchange, createClient as createUrqlClient, fetchExchange, subscriptionExchange, type Client } from 'urql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import type { SessionStore } from './session.ts';

export interface ConsoleClient {
  urql: Client;
  ws: WsClient;
  dispose(): void;
}

/** `/graphql` on the page's own origin, ws: or wss: to match http: or https:. */
const wsUrl = () => `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}/graphql`;

/**
 * urql over HTTP for queries and mutations, graphql-ws on the same path for subscriptions. Both ask the
 * session for a current token per request (HTTP) or per connection (graphql-ws authenticates once, when it
 * connects: a reconnect after a renewal carries the new token). One client per signed-in session: signing
 * out disposes it, closing the socket, which also ends the agent's presence.
 */
export function createConsoleClient(session: SessionStore): ConsoleClient {
  const ws = createWsClient({
    url: wsUrl(),
    lazy: true,
    // Keep the socket a few seconds after the last subscription ends: switching screens does not reconnect.
    lazyCloseTimeout: 3000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    connectionParams: async () => {
      const token = await session.accessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
  const urql = createUrqlClient({
    url: '/graphql',
    exchanges: [
      cacheExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
      fetchExchange,
    ],
    preferGetMethod: false,
    fetch: async (input, init) => {
      const token = await session.accessToken();
      const headers = new Headers(init?.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      headers.set('accept', 'application/graphql-response+json, application/json');
      return fetch(input, { ...init, headers });
    },
  });
  return { urql, ws, dispose: () => void ws.dispose() };
}
