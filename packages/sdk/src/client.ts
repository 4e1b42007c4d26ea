import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

/** How the client proves who it is: a partner API key (`mk_…`), a member's access token, or a visitor token. */
export type MascotAuth = { apiKey: string } | { accessToken: string } | { visitorToken: string } | undefined;

export interface MascotClientOptions {
  /** The GraphQL endpoint, such as https://mascot.example.com/graphql (the socket uses the same URL). */
  url: string;
  auth?: MascotAuth;
  /** Defaults to the global fetch (Node 18+, browsers). */
  fetch?: typeof fetch;
  /** A WebSocket implementation where there is no global one (e.g. `ws` on Node 20). */
  webSocketImpl?: unknown;
}

/** A GraphQL error answered by the server, with its stable code (`NOT_FOUND`, `QUOTA_EXCEEDED`, …). */
export class MascotApiError extends Error {
  override name = 'MascotApiError';
  constructor(
    message: string,
    readonly code: string,
    readonly details: Record<string, unknown>,
    /** Quote it when reporting a problem: it names the server's log line. */
    readonly requestId: string | undefined,
  ) {
    super(message);
  }
}

interface GraphQLErrorJson {
  message: string;
  extensions?: Record<string, unknown>;
}

function toApiError(errors: readonly GraphQLErrorJson[], requestId?: string): MascotApiError {
  const [first] = errors;
  const { code, requestId: fromError, ...details } = first?.extensions ?? {};
  return new MascotApiError(
    first?.message ?? 'The request failed.',
    typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
    details,
    typeof fromError === 'string' ? fromError : requestId,
  );
}

function bearer(auth: MascotAuth): string | undefined {
  if (!auth) return undefined;
  if ('apiKey' in auth) return `Bearer ${auth.apiKey}`;
  if ('accessToken' in auth) return `Bearer ${auth.accessToken}`;
  return `Bearer ${auth.visitorToken}`;
}

export interface MascotClient {
  /** Runs a query or mutation over HTTP; resolves with its data or rejects with a MascotApiError. */
  request<TResult, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...variables: Record<string, never> extends TVariables ? [TVariables?] : [TVariables]
  ): Promise<TResult>;
  /**
   * Subscribes over graphql-ws; iterate the events with `for await`. Breaking out of the loop ends the
   * subscription; a server error ends the loop by throwing a MascotApiError.
   */
  subscribe<TResult, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...variables: Record<string, never> extends TVariables ? [TVariables?] : [TVariables]
  ): AsyncIterableIterator<TResult>;
  /** Closes the socket (if one was opened). */
  close(): Promise<void>;
}

const printed = new WeakMap<DocumentNode, string>();
function source(document: DocumentNode): string {
  let text = printed.get(document);
  if (!text) printed.set(document, (text = print(document)));
  return text;
}

export function createMascotClient(options: MascotClientOptions): MascotClient {
  const authorization = bearer(options.auth);
  const doFetch = options.fetch ?? fetch;
  let socket: Client | undefined;
  const sockets = () =>
    (socket ??= createClient({
      url: options.url.replace(/^http/, 'ws'),
      connectionParams: authorization ? { authorization } : {},
      lazy: true,
      ...(options.webSocketImpl ? { webSocketImpl: options.webSocketImpl } : {}),
    }));

  return {
    async request(document, ...[variables]) {
      const response = await doFetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ query: source(document), variables: variables ?? {} }),
      });
      const requestId = response.headers.get('x-request-id') ?? undefined;
      const body = (await response.json().catch(() => null)) as { data?: unknown; errors?: GraphQLErrorJson[] } | null;
      if (!body) throw new MascotApiError(`HTTP ${response.status} without a GraphQL body`, 'INTERNAL_SERVER_ERROR', {}, requestId);
      if (body.errors?.length) throw toApiError(body.errors, requestId);
      return body.data as never;
    },

    subscribe(document, ...[variables]) {
      const iterator = sockets().iterate({ query: source(document), variables: variables ?? {} });
      return {
        [Symbol.asyncIterator]() {
          return this;
        },
        async next() {
          try {
            const result = await iterator.next();
            if (result.done) return { done: true, value: undefined };
            if (result.value.errors?.length) throw toApiError(result.value.errors as GraphQLErrorJson[]);
            return { done: false, value: result.value.data as never };
          } catch (error) {
            if (error instanceof MascotApiError) throw error;
            // graphql-ws rejects with the error list of a refused operation.
            if (Array.isArray(error)) throw toApiError(error as GraphQLErrorJson[]);
            throw error;
          }
        },
        async return() {
          await iterator.return?.();
          return { done: true, value: undefined };
        },
      };
    },

    async close() {
      await socket?.dispose();
      socket = undefined;
    },
  };
}
