/**
 * The HTTP baseline, in its own process: a bare Apollo Server 5 from `startStandaloneServer`, with
 * the two operations the bench sends Mascot answered from constants. `me` insists on a bearer
 * header (and nothing more), so both sides at least read it.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { serveParent } from './child-processes.ts';

interface Context {
  authorization: string | undefined;
}

const apollo = new ApolloServer<Context>({
  typeDefs: /* GraphQL */ `
    type User { id: ID! }
    type Viewer { user: User! }
    type Query { me: Viewer }
  `,
  resolvers: {
    Query: {
      me: (_root: unknown, _args: unknown, context: Context) => (context.authorization?.startsWith('Bearer ') ? { user: { id: 'user-1' } } : null),
    },
  },
});
const { url } = await startStandaloneServer(apollo, {
  listen: { port: 0, host: '127.0.0.1' },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});

serveParent({ graphqlUrl: url, pid: process.pid }, async (command: { kind: string }) => {
  throw new Error(`unknown command ${command.kind}`);
}, () => apollo.stop());
