import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import express from 'express';
import { REQUEST_ID_HEADER, requestIdFrom, type GraphQLContext } from '../core/graphql/index.ts';
import { clientError, setBaseSecurityHeaders } from '../core/http/index.ts';
import { RATE_LIMIT_HEADER } from '../core/rate-limit/index.ts';
import type { Logger } from '../core/logging/index.ts';

/** Answers the request and returns true when it is the lane's, false to leave it to the Express app. */
export type HttpLane = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface GraphQLHttpLaneOptions {
  apollo: ApolloServer<GraphQLContext>;
  /** The operation's context, as the Express route builds it (authentication included). */
  context: (req: IncomingMessage, requestId: string) => Promise<GraphQLContext>;
  /** The JSON body limit of the Express route. */
  bodyLimit: string;
  logger: Logger;
  /** RateLimit fields for a response Apollo's plugins did not set them on (rejected before any operation). */
  rateLimitHeaders?: (req: IncomingMessage) => [string, string][];
}

const isGraphQLPath = (url: string | undefined) => url === '/graphql' || url?.startsWith('/graphql?') === true;

/**
 * POST /graphql straight from Node's HTTP server to Apollo, the way Apollo's own standalone server
 * does, instead of through the Express app: its router, response helpers and ETag hashing cost about
 * as much as Apollo itself for a small operation (issue 13: Apollo behind Express answered `{ __typename }`
 * at 0.55× the standalone server on the same machine). Everything else about the request is the Express
 * route's: the same body parser and limit, security headers, request id, context and Apollo (CSRF
 * prevention, limits, plugins). GET /graphql (the explorer, GET queries) stays with Express.
 */
export function createGraphQLHttpLane(options: GraphQLHttpLaneOptions): HttpLane {
  const { apollo, context, logger } = options;
  const parseJson = express.json({ limit: options.bodyLimit });
  const setRateLimitHeaders = (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of options.rateLimitHeaders?.(req) ?? []) res.setHeader(name, value);
  };

  const execute = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse, requestId: string) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const queryAt = req.url!.indexOf('?');
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: queryAt < 0 ? '' : req.url!.slice(queryAt), body: req.body },
      context: () => context(req, requestId),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    if (!response.headers.has(RATE_LIMIT_HEADER)) setRateLimitHeaders(req, res);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  return (req, res) => {
    if (req.method !== 'POST' || !isGraphQLPath(req.url)) return false;
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    setBaseSecurityHeaders(res);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    parseJson(req as express.Request, res as express.Response, (error?: unknown) => {
      if (error) {
        setRateLimitHeaders(req, res);
        answerBodyError(res, error);
        return;
      }
      execute(req, res, requestId).catch((failure: unknown) => {
        // Apollo answers what goes wrong inside it; this is what is left (a socket gone mid-response).
        logger.error({ err: failure, requestId }, 'GraphQL request failed outside Apollo');
        if (res.headersSent) res.destroy();
        else answer(res, 500, 'INTERNAL_SERVER_ERROR', `Internal server error (request ${requestId}).`);
      });
    });
    return true;
  };
}

/**
 * Unreadable bodies (not JSON, too large, unsupported charset) with the status and code the Express
 * routes give them (core/http clientError), in GraphQL's error shape.
 */
function answerBodyError(res: ServerResponse, error: unknown): void {
  const client = clientError(error) ?? { status: 400, code: 'BAD_REQUEST', message: 'The request body could not be read.' };
  // An unread body remains on the connection: close it rather than parse the rest as a request.
  if (client.status === 413) res.setHeader('Connection', 'close');
  answer(res, client.status, client.code, client.message);
}

function answer(res: ServerResponse, status: number, code: string, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
