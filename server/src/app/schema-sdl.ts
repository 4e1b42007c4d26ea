import 'reflect-metadata';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { createInProcessBus } from '../core/bus/index.ts';
import { buildMascotSchema, type SchemaServices } from './build-schema.ts';

export const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../schema/schema.graphql');

const HEADER = '# Generated from the server code by `npm run schema:emit`. Do not edit by hand; a test fails when it drifts.\n\n';

/**
 * The schema as SDL, sorted so the committed file diffs cleanly. Printing needs only the resolvers'
 * metadata, never their services, so none are constructed here.
 */
export async function renderSchemaSDL(): Promise<string> {
  const unused = { publicUrl: () => '', bus: createInProcessBus() } as SchemaServices;
  const schema = await buildMascotSchema(unused);
  return HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}
