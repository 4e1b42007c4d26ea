// The preview speaks the Mascot server's own GraphQL schema (schema/schema.graphql, emitted from the
// server's resolvers), so the widget's documents are validated exactly as the server validates them;
// only the few fields a visitor's chat uses have resolvers here (preview-graphql.ts).
import { buildSchema, type GraphQLSchema } from 'graphql';
import SCHEMA_SDL from '../../../../schema/schema.graphql?raw';

let schema: GraphQLSchema | null = null;

export function previewSchema(): GraphQLSchema {
  schema ??= buildSchema(SCHEMA_SDL);
  return schema;
}
