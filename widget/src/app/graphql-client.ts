// Transport for the chat: urql over HTTP for the two mutations, graphql-ws for
// the event subscription. Both talk to /graphql on the iframe's own origin
// (Mascot's origin), which is what the CSP's connect-src 'self' ws: wss: allows.
//
// The subscription uses graphql-ws directly rather than through urql's
// subscriptionExchange: the hook needs to know when the server confirms the
// subscription (ConversationSubscribed; sending is enabled only then), when the stream ends and why it
// failed (close code vs GraphQL error), and the raw sink exposes all of that.

import { Client, fetchExchange, gql, stringifyDocument } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import type { ApiMessage, ConversationEvent, ConversationSubscribed, VisitorSession } from './api-types.ts';
import { errorCodeOf, NETWORK_ERROR } from './errors.ts';

export const START_CONVERSATION = gql<{ startConversation: VisitorSession }, { embedId: string }>`
  mutation StartConversation($embedId: String!) {
    startConversation(embedId: $embedId) {
      conversationId
      visitorToken
      bot {
        name
        greeting
      }
    }
  }
`;

export const SEND_MESSAGE = gql<{ sendMessage: ApiMessage }, { conversationId: string; text: string }>`
  mutation SendMessage($conversationId: ID!, $text: String!) {
    sendMessage(conversationId: $conversationId, text: $text) {
      id
      role
      text
      createdAt
      sources {
        marker
        documentTitle
        snippet
      }
    }
  }
`;

// ReplyFailed.reason is not selected: the widget shows its own message per error code.
export const CONVERSATION_EVENTS = gql<{ conversationEvents: ConversationEvent }, { conversationId: string }>`
  subscription ConversationEvents($conversationId: ID!) {
    conversationEvents(conversationId: $conversationId) {
      __typename
      ... on ConversationSubscribed {
        seq
      }
      ... on ReplyStarted {
        seq
        messageId
      }
      ... on ReplyDelta {
        seq
        messageId
        delta
      }
      ... on ReplyCompleted {
        seq
        message {
          id
          role
          text
          createdAt
          sources {
            marker
            documentTitle
            snippet
          }
        }
      }
      ... on ReplyFailed {
        seq
        messageId
        code
      }
    }
  }
`;

export interface Endpoints {
  http: string;
  ws: string;
}

/** `/graphql` on the given origin, over http(s) and ws(s). */
export function endpointsFor(origin: string): Endpoints {
  return { http: `${origin}/graphql`, ws: `${origin.replace(/^http/, 'ws')}/graphql` };
}

export type Result<T> = { ok: true; data: T } | { ok: false; code: string };

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface EventHandlers {
  onEvent(event: ConversationEvent): void;
  /** The stream failed or ended for good; `code` is an error code from errors.ts or the server. */
  onEnd(code: string): void;
  onConnection(state: ConnectionState): void;
}

export interface SessionApi {
  sendMessage(conversationId: string, text: string): Promise<Result<ApiMessage>>;
  subscribe(conversationId: string, handlers: EventHandlers): void;
  dispose(): void;
}

function httpClient(url: string, visitorToken: string | null): Client {
  return new Client({
    url,
    exchanges: [fetchExchange],
    // Mutations only, so there is nothing to cache.
    requestPolicy: 'network-only',
    fetchOptions: visitorToken ? { headers: { authorization: `Bearer ${visitorToken}` } } : {},
  });
}

/** No auth: this call is what hands out the visitor token. */
export async function startConversation(endpoints: Endpoints, embedId: string): Promise<Result<VisitorSession>> {
  const result = await httpClient(endpoints.http, null).mutation(START_CONVERSATION, { embedId }).toPromise();
  if (result.error || !result.data) return { ok: false, code: errorCodeOf(result.error) };
  return { ok: true, data: result.data.startConversation };
}

interface CloseEventLike {
  code: number;
}

function isCloseEvent(value: unknown): value is CloseEventLike {
  return typeof value === 'object' && value !== null && typeof (value as CloseEventLike).code === 'number';
}

/** graphql-ws close codes a server uses to reject the connection's credentials. */
const AUTH_CLOSE_CODES = new Set([4401, 4403]);

/** A client bound to one visitor session: its token goes on every request and on the socket. */
export function createSessionApi(endpoints: Endpoints, visitorToken: string): SessionApi {
  const http = httpClient(endpoints.http, visitorToken);
  let disposed = false;
  let unsubscribe: (() => void) | null = null;
  let ws: WsClient | null = null;

  return {
    async sendMessage(conversationId, text) {
      const result = await http.mutation(SEND_MESSAGE, { conversationId, text }).toPromise();
      if (result.error || !result.data) return { ok: false, code: errorCodeOf(result.error) };
      return { ok: true, data: result.data.sendMessage };
    },

    subscribe(conversationId, handlers) {
      const socket = createWsClient({
        url: endpoints.ws,
        connectionParams: { authorization: `Bearer ${visitorToken}` },
        keepAlive: 20_000, // keeps idle proxies and load balancers from dropping the socket
        retryAttempts: 8,
        // A rejected token will not become valid by retrying.
        shouldRetry: (reason) => !(isCloseEvent(reason) && AUTH_CLOSE_CODES.has(reason.code)),
      });
      ws = socket;
      socket.on('connecting', (isRetry) => handlers.onConnection(isRetry ? 'reconnecting' : 'connecting'));
      socket.on('closed', () => {
        if (!disposed) handlers.onConnection('reconnecting');
      });

      let ended = false;
      const end = (code: string): void => {
        if (ended || disposed) return;
        ended = true;
        handlers.onConnection('offline');
        handlers.onEnd(code);
      };
      unsubscribe = socket.subscribe<{ conversationEvents: ConversationEvent | ConversationSubscribed }>(
        { query: stringifyDocument(CONVERSATION_EVENTS), variables: { conversationId } },
        {
          next(result) {
            if (result.errors?.length) end(errorCodeOf(result.errors));
            else if (result.data?.conversationEvents.__typename === 'ConversationSubscribed') {
              // The server sends this once its bus subscription is live (again, after a
              // reconnect): from here on no reply event can be missed, so sending is safe.
              handlers.onConnection('connected');
            } else if (result.data) handlers.onEvent(result.data.conversationEvents);
          },
          error(error) {
            if (Array.isArray(error)) end(errorCodeOf(error));
            else if (isCloseEvent(error) && AUTH_CLOSE_CODES.has(error.code)) end('UNAUTHENTICATED');
            else end(NETWORK_ERROR);
          },
          // The server ended the stream; without it no replies can arrive.
          complete() {
            end(NETWORK_ERROR);
          },
        },
      );
    },

    dispose() {
      disposed = true;
      unsubscribe?.();
      void ws?.dispose();
    },
  };
}
