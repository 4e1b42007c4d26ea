import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILE, generateSdkSource } from '../scripts/generate.ts';

describe('the generated SDK', () => {
  it('matches schema/schema.graphql and src/operations (run `npm run generate -w @mascot/sdk` when this fails)', async () => {
    expect(await readFile(GENERATED_FILE, 'utf8')).toBe(await generateSdkSource());
  });
});
