import { writeFile } from 'node:fs/promises';
import { SCHEMA_FILE, renderSchemaSDL } from './app/schema-sdl.ts';

await writeFile(SCHEMA_FILE, await renderSchemaSDL());
console.log(`wrote ${SCHEMA_FILE}`);
