import { describe, expect, it } from 'vitest';
import { parseDocument, ParseError } from './index.ts';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const withBom = (bytes: Uint8Array): Uint8Array => new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
const utf16le = (text: string): Uint8Array =>
  new Uint8Array([0xff, 0xfe, ...Array.from(text).flatMap((char) => [char.charCodeAt(0) & 0xff, char.charCodeAt(0) >> 8])]);

async function errorCode(promise: Promise<unknown>): Promise<string> {
  return promise.then(() => 'parsed', (error: unknown) => (error instanceof ParseError ? error.code : `other: ${String(error)}`));
}

describe('parseDocument for Markdown and plain text', () => {
  it('passes Markdown through with Unix line endings and takes the title from the first # heading', async () => {
    const document = await parseDocument('markdown', encode('Intro\r\n\r\n# Pricing\r\n\r\n| Plan | Price |\r\n| --- | --- |\r\n| Pro | $29 |\r\n\r\n## Pro\r\nDetails.\r\n'));
    expect(document).toEqual({
      title: 'Pricing',
      sections: [{ markdown: 'Intro\n\n# Pricing\n\n| Plan | Price |\n| --- | --- |\n| Pro | $29 |\n\n## Pro\nDetails.', page: null }],
      warnings: [],
    });
  });

  it('prefers a level-1 heading for the title and falls back to the first heading of any level', async () => {
    expect((await parseDocument('markdown', encode('## Setup\n\n# Guide\n'))).title).toBe('Guide');
    expect((await parseDocument('markdown', encode('## Setup\n\ntext'))).title).toBe('Setup');
    expect((await parseDocument('markdown', encode('no heading'))).title).toBeNull();
  });

  it('passes plain text through unchanged apart from line endings', async () => {
    const document = await parseDocument('text', encode('Opening hours\rMonday to Friday, 9 to 5.\r\n\r\nClosed on holidays.\n\n\n'));
    expect(document.sections).toEqual([{ markdown: 'Opening hours\nMonday to Friday, 9 to 5.\n\nClosed on holidays.', page: null }]);
    expect(document.title).toBeNull();
    expect((await parseDocument('text', encode('# Notes\nsome notes'))).title).toBe('Notes');
  });

  it('drops a UTF-8 byte order mark and reads UTF-16 text that starts with one', async () => {
    expect((await parseDocument('markdown', withBom(encode('# Café')))).title).toBe('Café');
    expect((await parseDocument('text', utf16le('Grüße aus Köln'))).sections[0]?.markdown).toBe('Grüße aus Köln');
  });

  it('rejects binary data (NUL bytes) and invalid UTF-8 with MALFORMED', async () => {
    expect(await errorCode(parseDocument('text', new Uint8Array([0x68, 0x69, 0x00, 0x01])))).toBe('MALFORMED');
    expect(await errorCode(parseDocument('markdown', new Uint8Array([0x23, 0x20, 0xc3, 0x28])))).toBe('MALFORMED');
    expect(await errorCode(parseDocument('text', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00])))).toBe('MALFORMED');
  });

  it('rejects empty and whitespace-only files with EMPTY', async () => {
    expect(await errorCode(parseDocument('text', new Uint8Array()))).toBe('EMPTY');
    expect(await errorCode(parseDocument('markdown', encode(' \r\n\t\n')))).toBe('EMPTY');
    expect(await errorCode(parseDocument('markdown', withBom(new Uint8Array())))).toBe('EMPTY');
  });

  it('refuses CSV, which parseCsv reads row by row, with UNSUPPORTED', async () => {
    expect(await errorCode(parseDocument('csv' as never, encode('a,b')))).toBe('UNSUPPORTED');
  });

  it('rejects a maxPages that is not a positive integer', async () => {
    await expect(parseDocument('text', encode('x'), { maxPages: 0 })).rejects.toThrow(RangeError);
  });

  it('throws ParseError instances that carry a code, the detail and a readable message', async () => {
    const error = await parseDocument('text', new Uint8Array([0x61, 0x00])).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({
      name: 'ParseError',
      code: 'MALFORMED',
      detail: 'the text file contains binary data (a NUL character at position 1)',
      message: 'The text file contains binary data (a NUL character at position 1)',
    });
  });
});
