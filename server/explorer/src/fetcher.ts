import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';
import { authorizationOf } from './authorization.ts';
import { operationNameFor } from './operation-name.ts';

export interface Endpoints {
  /** HTTP endpoint for queries and mutations. */
  http: string;
  /** graphql-ws endpoint for subscriptions: the same path on the same origin. */
  ws: string;
}

/** `/graphql` on the page's own origin, ws: or wss: to match http: or https:. */
export function sameOriginEndpoints(location: Pick<Location, 'protocol' | 'host'>): Endpoints {
  const wsProtocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return { http: `${location.protocol}//${location.host}/graphql`, ws: `${wsProtocol}//${location.host}/graphql` };
}

/** Keep a few sockets' worth of clients; idle lazy clients hold no socket, so dropping one is free. */
const MAX_CLIENTS = 8;

/**
 * HTTP requests carry the headers editor's headers as they are. A graphql-ws socket authenticates
 * once, when it connects (the server reads connectionParams.authorization), so subscriptions go
 * through one lazy client per Authorization value: a subscription run with a visitor token never
 * shares a socket with one run as the signed-in user, and changing the token takes effect at once.
 * The operation name is checked against the document at send time (see operationNameFor).
 */
export function createExplorerFetcher(endpoints: Endpoints): Fetcher {
  const fetchers = new Map<string, Fetcher>();
  const fetcherFor = (authorization: string | undefined): Fetcher => {
    const key = authorization ?? '';
    const existing = fetchers.get(key);
    if (existing) return existing;
    const wsClient = createClient({
      url: endpoints.ws,
      lazy: true,
      connectionParams: () => (authorization ? { authorization } : {}),
    });
    const fetcher = createGraphiQLFetcher({
      url: endpoints.http,
      subscriptionUrl: endpoints.ws,
      wsClient,
      // Apollo answers plain JSON; no multipart/mixed incremental delivery to negotiate.
      enableIncrementalDelivery: false,
    });
    if (fetchers.size >= MAX_CLIENTS) fetchers.delete(fetchers.keys().next().value!);
    fetchers.set(key, fetcher);
    return fetcher;
  };
  return (params, options) =>
    fetcherFor(authorizationOf(options?.headers))(
      { ...params, operationName: operationNameFor(params.query, params.operationName) },
      options,
    );
}

interface LogInResponse {
  data?: { logIn?: { accessToken?: string } } | null;
  errors?: { message?: string }[];
}

/** The logIn mutation, sent directly so the password never enters GraphiQL's editors or history. */
export async function logIn(endpoint: string, email: string, password: string): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({
      query: 'mutation ExplorerLogIn($input: LogInInput!) { logIn(input: $input) { accessToken } }',
      operationName: 'ExplorerLogIn',
      variables: { input: { email, password } },
    }),
  });
  let body: LogInResponse;
  try {
    body = (await response.json()) as LogInResponse;
  } catch {
    throw new Error(`Sign-in failed: the server answered ${response.status} ${response.statusText}.`);
  }
  const token = body.data?.logIn?.accessToken;
  if (token) return token;
  throw new Error(body.errors?.[0]?.message ?? `Sign-in failed (${response.status}).`);
}
