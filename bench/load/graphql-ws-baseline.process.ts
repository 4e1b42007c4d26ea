/**
 * The streaming baseline, in its own process: graphql-ws + graphql-js on `ws` (the libraries Mascot's
 * own socket transport is built on) with one trivial subscription that streams the bench's answer
 * token by token at the bench's pace. Nothing else: no auth, no database, no bus. What Mascot
 * delivers is put next to what this delivers in the same run, on the same machine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { GraphQLFloat, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { splitIntoStreamTokens } from '@mascot/knowledge-core';
import { serveParent } from './child-processes.ts';

const answer = process.env['BENCH_ANSWER'] ?? 'The Pro plan costs 29 dollars per month.';
const tokenDelayMs = Number(process.env['BENCH_TOKEN_DELAY_MS'] ?? 50);
const firstTokenDelayMs = Number(process.env['BENCH_FIRST_TOKEN_DELAY_MS'] ?? 0);
const tokens = splitIntoStreamTokens(answer);

const now = () => performance.timeOrigin + performance.now();

const Token = new GraphQLObjectType({
  name: 'Token',
  fields: {
    seq: { type: new GraphQLNonNull(GraphQLInt) },
    text: { type: new GraphQLNonNull(GraphQLString) },
    /** When the server produced it (epoch ms): the load generator measures lateness from here. */
    emittedAt: { type: new GraphQLNonNull(GraphQLFloat) },
  },
});

async function* answerTokens() {
  await delay(firstTokenDelayMs);
  for (let seq = 0; seq < tokens.length; seq++) {
    if (seq > 0) await delay(tokenDelayMs);
    yield { answer: { seq, text: tokens[seq]!, emittedAt: now() } };
  }
}

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString, resolve: () => 'ok' } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: { answer: { type: new GraphQLNonNull(Token), subscribe: answerTokens } },
  }),
});

const httpServer = createServer((_req, res) => res.writeHead(404).end());
const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
const cleanup = useServer({ schema }, wsServer);
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
const { port } = httpServer.address() as AddressInfo;

serveParent({ websocketUrl: `ws://127.0.0.1:${port}/graphql`, pid: process.pid }, async (command: { kind: string }) => {
  throw new Error(`unknown command ${command.kind}`);
}, async () => {
  await cleanup.dispose();
  httpServer.closeAllConnections();
  await new Promise<void>((resolve) => httpServer.close(() => resolve()));
});
