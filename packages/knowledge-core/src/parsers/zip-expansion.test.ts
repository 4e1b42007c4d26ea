import { describe, expect, it } from 'vitest';
import { makeDocxBomb, makeSimpleDocx } from './fixtures/make-docx-bomb.ts';
import { parseDocument, ParseError } from './index.ts';

const MB = 1024 * 1024;

async function parseError(promise: Promise<unknown>): Promise<ParseError> {
  const error = await promise.then(() => null, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ParseError);
  return error as ParseError;
}

describe('DOCX decompression limits', { timeout: 60_000 }, () => {
  it('refuses an archive that declares more than maxUncompressedBytes, before unpacking it', async () => {
    const bomb = makeDocxBomb({ expandedBytes: 20 * MB });
    expect(bomb.byteLength).toBeLessThan(100 * 1024);
    const error = await parseError(parseDocument('docx', bomb, { maxUncompressedBytes: 4 * MB }));
    expect(error.code).toBe('TOO_LARGE_UNCOMPRESSED');
    expect(error.detail).toMatch(/declares \d+ bytes/);
  });

  it('refuses an archive that lies about its sizes, by what its entries really inflate to', async () => {
    const liar = makeDocxBomb({ expandedBytes: 20 * MB, declaredBytes: 1000 });
    const error = await parseError(parseDocument('docx', liar, { maxUncompressedBytes: 4 * MB }));
    expect(error.code).toBe('TOO_LARGE_UNCOMPRESSED');
    expect(error.detail).toMatch(/more than it declares/);
  });

  it('reads documents within the limit as before', async () => {
    const document = await parseDocument('docx', makeSimpleDocx(['Opening hours', 'We open at nine.']), { maxUncompressedBytes: 64 * 1024 });
    expect(document.sections[0]?.markdown).toContain('We open at nine.');
  });
});
