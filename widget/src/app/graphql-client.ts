// Transport for the chat: urql over HTTP for the two mutations, graphql-ws for
// the event subscription. Both talk to /graphql on the iframe's own origin
// (Mascot's origin), which is what the CSP's connect-src 'self' ws: wss: allows.
//
// The subscription uses graphql-ws directly rather than through urql's
// subscriptionExchange: the hook needs to know when the server confirms the
// subscription (ConversationSubscribed; sending is enabled only then), when the stream ends and why it
// failed (close code vs GraphQL error), and the raw sink exposes all of that.

import { Client, fetchExchange, gql, stringifyDocument, type AnyVariables, type TypedDocumentNode } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import type {
  AnswerFeedback,
  AnswerFeedbackInput,
  ApiMessage,
  ContactDetails,
  ContactDetailsReceipt,
  ConversationEvent,
  ConversationRating,
  ConversationRatingInput,
  ConversationSubscribed,
  VisitorHandoff,
  VisitorSession,
} from './api-types.ts';
import { errorCodeOf, NETWORK_ERROR } from './errors.ts';
import { MESSAGE_FIELDS } from './message-fields.ts';

export interface StartConversationVariables {
  embedId: string;
  /** Anonymous per-visitor id (keeps the A/B variant sticky). */
  visitorId: string | null;
  /** The host page's origin, checked against the bot's allowlist. */
  hostOrigin: string | null;
}

export const START_CONVERSATION = gql<{ startConversation: VisitorSession }, StartConversationVariables>`
  mutation StartConversation($embedId: String!, $visitorId: String, $hostOrigin: String) {
    startConversation(embedId: $embedId, visitorId: $visitorId, hostOrigin: $hostOrigin) {
      conversationId
      visitorToken
      bot {
        name
        greeting
        language
        variantId
        theme {
          primaryColor
          backgroundColor
          textColor
          fontFamily
          launcher
          colorScheme
          showBranding
        }
        avatar {
          modelUrl
          animationMap {
            slot
            clip
          }
        }
      }
    }
  }
`;

export const SEND_MESSAGE = gql<{ sendMessage: ApiMessage }, { conversationId: string; text: string }>`
  mutation SendMessage($conversationId: ID!, $text: String!) {
    sendMessage(conversationId: $conversationId, text: $text) {
      ${MESSAGE_FIELDS}
    }
  }
`;

export const SUBMIT_CONTACT_DETAILS = gql<
  { submitContactDetails: ContactDetailsReceipt },
  { conversationId: string; input: ContactDetails }
>`
  mutation SubmitContactDetails($conversationId: ID!, $input: ContactDetailsInput!) {
    submitContactDetails(conversationId: $conversationId, input: $input) {
      leadId
      conversationId
    }
  }
`;

const VISITOR_HANDOFF_FIELDS = 'status unavailable nextOpeningAt';

/** The visitor's answers to the offer of a person, and their cancel of a wait (handoff by choice, issue 14). */
export const REQUEST_HANDOFF = gql<{ requestHandoff: VisitorHandoff }, { conversationId: string }>`
  mutation RequestHandoff($conversationId: ID!) {
    requestHandoff(conversationId: $conversationId) { ${VISITOR_HANDOFF_FIELDS} }
  }
`;
export const DECLINE_HANDOFF = gql<{ declineHandoff: VisitorHandoff }, { conversationId: string }>`
  mutation DeclineHandoff($conversationId: ID!) {
    declineHandoff(conversationId: $conversationId) { ${VISITOR_HANDOFF_FIELDS} }
  }
`;
export const CANCEL_HANDOFF = gql<{ cancelHandoff: VisitorHandoff }, { conversationId: string }>`
  mutation CancelHandoff($conversationId: ID!) {
    cancelHandoff(conversationId: $conversationId) { ${VISITOR_HANDOFF_FIELDS} }
  }
`;

/** Which of the visitor's handoff mutations to call. */
export type HandoffAction = 'request' | 'decline' | 'cancel';

// ReplyFailed.reason is not selected: the widget shows its own message per error code.
export const RATE_ANSWER = gql<
  { rateAnswer: AnswerFeedback },
  { conversationId: string; messageId: string; input: AnswerFeedbackInput }
>`
  mutation RateAnswer($conversationId: ID!, $messageId: ID!, $input: AnswerFeedbackInput!) {
    rateAnswer(conversationId: $conversationId, messageId: $messageId, input: $input) {
      id
      messageId
      helpful
      comment
    }
  }
`;

export const RATE_CONVERSATION = gql<
  { rateConversation: ConversationRating },
  { conversationId: string; input: ConversationRatingInput }
>`
  mutation RateConversation($conversationId: ID!, $input: ConversationRatingInput!) {
    rateConversation(conversationId: $conversationId, input: $input) {
      id
      rating
      comment
    }
  }
`;

export const CONVERSATION_EVENTS = gql<
  { conversationEvents: ConversationEvent | ConversationSubscribed },
  { conversationId: string; afterSeq: number }
>`
  subscription ConversationEvents($conversationId: ID!, $afterSeq: Int) {
    conversationEvents(conversationId: $conversationId, afterSeq: $afterSeq) {
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
        requestsContact
        message {
          ${MESSAGE_FIELDS}
        }
      }
      ... on ReplyFailed {
        seq
        messageId
        code
      }
      ... on AvatarCue {
        seq
        messageId
        phase
        slot
        intensity
      }
      ... on HandoffStatusChanged {
        seq
        status
        agentName
      }
      ... on HandoffUnavailable {
        seq
        cause
        nextOpeningAt
      }
      ... on MessagePosted {
        seq
        message {
          ${MESSAGE_FIELDS}
        }
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

/** A mutation with validated input: a refusal also names the input fields the server rejected. */
export type InputResult<T> = { ok: true; data: T } | { ok: false; code: string; fields: string[] };

/** The fields of a BAD_USER_INPUT error (`extensions.fieldErrors`), such as `email` for `input.email`. */
export function rejectedFields(error: { graphQLErrors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> } | undefined): string[] {
  const fieldErrors = error?.graphQLErrors?.[0]?.extensions?.['fieldErrors'];
  if (!Array.isArray(fieldErrors)) return [];
  return fieldErrors.flatMap((e: unknown) => {
    const field = (e as { field?: unknown } | null)?.field;
    return typeof field === 'string' ? [field.split('.').pop() ?? field] : [];
  });
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface EventHandlers {
  onEvent(event: ConversationEvent): void;
  /** The stream failed or ended for good; `code` is an error code from errors.ts or the server. */
  onEnd(code: string): void;
  onConnection(state: ConnectionState): void;
}

/** A query about the session's own conversation, its id filled in (for documents that live in lazy chunks). */
export type SessionQuery = <Data, Variables extends { conversationId: string }>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Omit<Variables, 'conversationId'>,
) => Promise<Result<Data>>;

export interface SessionApi {
  sendMessage(conversationId: string, text: string): Promise<Result<ApiMessage>>;
  submitContactDetails(conversationId: string, details: ContactDetails): Promise<InputResult<ContactDetailsReceipt>>;
  /** Accepts the offer of a person (request), declines it, or cancels a wait. */
  handoff(conversationId: string, action: HandoffAction): Promise<Result<VisitorHandoff>>;
  rateAnswer(conversationId: string, messageId: string, input: AnswerFeedbackInput): Promise<Result<AnswerFeedback>>;
  rateConversation(conversationId: string, input: ConversationRatingInput): Promise<Result<ConversationRating>>;
  /** Any query with the visitor token, over POST (for documents that live in lazy chunks). */
  query<Data, Variables extends AnyVariables>(document: TypedDocumentNode<Data, Variables>, variables: Variables): Promise<Result<Data>>;
  /**
   * Follows the conversation's events. `resumeAfter` is read on every (re)subscription: the server
   * replays what was logged after that seq, so a dropped socket costs no event.
   */
  subscribe(conversationId: string, resumeAfter: () => number, handlers: EventHandlers): void;
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
export async function startConversation(
  endpoints: Endpoints,
  variables: StartConversationVariables,
): Promise<Result<VisitorSession>> {
  const result = await httpClient(endpoints.http, null).mutation(START_CONVERSATION, variables).toPromise();
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

/** Ping interval; also keeps idle proxies and load balancers from dropping the socket. */
const KEEP_ALIVE_MS = 15_000;
/** A socket that does not answer a ping within this is dead (e.g. the network went away without a close). */
const PONG_TIMEOUT_MS = 5_000;

/**
 * Waits before reconnect attempt `retries` (0-based): 0.5 s, 1 s, 2 s … up to 8 s, plus up to 50 %
 * jitter so a server restart is not met by every visitor at once. Quicker than graphql-ws's default
 * (1 s, 2 s, 4 s … plus 0.3–3 s) because the server aborts a reply once the visitor has been gone for
 * a while (10 s by default): reconnecting well within that keeps the reply streaming.
 */
export function reconnectDelayMs(retries: number, random: () => number = Math.random): number {
  const base = Math.min(500 * 2 ** retries, 8_000);
  return Math.round(base * (1 + random() / 2));
}

/** A client bound to one visitor session: its token goes on every request and on the socket. */
export function createSessionApi(endpoints: Endpoints, visitorToken: string): SessionApi {
  const http = httpClient(endpoints.http, visitorToken);
  let disposed = false;
  let unsubscribe: (() => void) | null = null;
  let ws: WsClient | null = null;
  // POST like every other call (urql would send a short query as GET, which CSRF prevention refuses without a preflight header).
  const query = async <Data, Variables extends AnyVariables>(document: TypedDocumentNode<Data, Variables>, variables: Variables): Promise<Result<Data>> => {
    const result = await http.query(document, variables, { preferGetMethod: false }).toPromise();
    return result.error || !result.data ? { ok: false, code: errorCodeOf(result.error) } : { ok: true, data: result.data };
  };

  return {
    async sendMessage(conversationId, text) {
      const result = await http.mutation(SEND_MESSAGE, { conversationId, text }).toPromise();
      if (result.error || !result.data) return { ok: false, code: errorCodeOf(result.error) };
      return { ok: true, data: result.data.sendMessage };
    },

    async submitContactDetails(conversationId, input) {
      const result = await http.mutation(SUBMIT_CONTACT_DETAILS, { conversationId, input }).toPromise();
      if (result.error || !result.data) return { ok: false, code: errorCodeOf(result.error), fields: rejectedFields(result.error) };
      return { ok: true, data: result.data.submitContactDetails };
    },

    async handoff(conversationId, action) {
      const variables = { conversationId };
      const result =
        action === 'request' ? await http.mutation(REQUEST_HANDOFF, variables).toPromise()
        : action === 'decline' ? await http.mutation(DECLINE_HANDOFF, variables).toPromise()
        : await http.mutation(CANCEL_HANDOFF, variables).toPromise();
      const data = result.data as Record<string, VisitorHandoff> | undefined;
      const handoff = data?.[`${action}Handoff`];
      if (result.error || !handoff) return { ok: false, code: errorCodeOf(result.error) };
      return { ok: true, data: handoff };
    },

    async rateAnswer(conversationId, messageId, input) {
      const result = await http.mutation(RATE_ANSWER, { conversationId, messageId, input }).toPromise();
      if (result.error || !result.data) return { ok: false, code: errorCodeOf(result.error) };
      return { ok: true, data: result.data.rateAnswer };
    },

    async rateConversation(conversationId, input) {
      const result = await http.mutation(RATE_CONVERSATION, { conversationId, input }).toPromise();
      if (result.error || !result.data) return { ok: false, code: errorCodeOf(result.error) };
      return { ok: true, data: result.data.rateConversation };
    },

    query,

    subscribe(conversationId, resumeAfter, handlers) {
      let pongTimer: ReturnType<typeof setTimeout> | undefined;
      const socket = createWsClient({
        url: endpoints.ws,
        connectionParams: { authorization: `Bearer ${visitorToken}` },
        keepAlive: KEEP_ALIVE_MS,
        retryAttempts: 10,
        retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(retries))),
        // A rejected token will not become valid by retrying.
        shouldRetry: (reason) => !(isCloseEvent(reason) && AUTH_CLOSE_CODES.has(reason.code)),
        on: {
          ping: (received) => {
            if (received) return;
            clearTimeout(pongTimer);
            // terminate() is not fatal: graphql-ws reconnects as after any drop.
            pongTimer = setTimeout(() => socket.terminate(), PONG_TIMEOUT_MS);
          },
          pong: (received) => {
            if (received) clearTimeout(pongTimer);
          },
          closed: () => clearTimeout(pongTimer),
        },
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
      // graphql-ws sends this payload again on every reconnect and serialises it each time, so a
      // getter hands the server the latest seq seen, never the one of the first subscription.
      const payload = {
        query: stringifyDocument(CONVERSATION_EVENTS),
        get variables() {
          return { conversationId, afterSeq: resumeAfter() };
        },
      };
      unsubscribe = socket.subscribe<{ conversationEvents: ConversationEvent | ConversationSubscribed }>(payload, {
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
      });
    },

    dispose() {
      disposed = true;
      unsubscribe?.();
      void ws?.dispose();
    },
  };
}
