import { describe, expect, it } from 'vitest';
import { makeDocx, makeEmptyDocx } from './fixtures/make-docx.ts';
import { parseDocument, ParseError } from './index.ts';

async function parseError(promise: Promise<unknown>): Promise<ParseError> {
  const error = await promise.then(() => null, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ParseError);
  return error as ParseError;
}

// Same-length rename inside the ZIP (local header and central directory): still a valid ZIP,
// but without the main document part Word files must have.
function renameEntry(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const latin1 = new TextDecoder('latin1');
  const result = bytes.slice();
  const text = latin1.decode(result);
  for (let at = text.indexOf(from); at !== -1; at = text.indexOf(from, at + 1)) {
    result.set(Array.from(to, (char) => char.charCodeAt(0)), at);
  }
  return result;
}

// The first test also loads docx, mammoth, linkedom and turndown; allow for a busy machine.
describe('parseDocument for DOCX', { timeout: 20_000 }, () => {
  it('turns Title and Heading styles into Markdown headings and takes the title from the first', async () => {
    const document = await parseDocument('docx', await makeDocx());
    const markdown = document.sections[0]?.markdown ?? '';
    expect(document.title).toBe('Mascot Guide');
    expect(markdown).toMatch(/^# Mascot Guide\n\nEverything about running a mascot on your site\.\n\n# Installation\n/);
    expect(markdown).toContain('\n## Pricing\n');
    expect(document.sections).toHaveLength(1);
    expect(document.sections[0]?.page).toBeNull();
  });

  it('keeps bold text, bulleted lists and tables, the table as a pipe table with its first row as header', async () => {
    const markdown = (await parseDocument('docx', await makeDocx())).sections[0]?.markdown ?? '';
    expect(markdown).toContain('Paste the **embed snippet** before the closing body tag.');
    expect(markdown).toContain('- Open the dashboard\n- Copy the snippet');
    expect(markdown).toContain('| Plan | Price | Mascots |\n| --- | --- | --- |\n| Free | $0 | 1 |\n| Pro | $29 | 5 |');
  });

  it('rejects a truncated file, a ZIP that is not a Word document and non-ZIP bytes with MALFORMED', async () => {
    const good = await makeDocx();
    const inputs = [
      good.slice(0, Math.floor(good.length / 2)),
      renameEntry(good, 'word/document.xml', 'word/documenx.xml'),
      new TextEncoder().encode('This is not a Word document at all.'),
    ];
    for (const bytes of inputs) expect((await parseError(parseDocument('docx', bytes))).code).toBe('MALFORMED');
  });

  it('rejects a password-protected Word file with ENCRYPTED and a legacy .doc file with UNSUPPORTED', async () => {
    // Office stores a protected .docx in a Compound File (OLE) container with an EncryptionInfo stream.
    const container = (...streamNames: string[]): Uint8Array => {
      const names = streamNames.flatMap((name) => Array.from(name).flatMap((char) => [char.charCodeAt(0), 0]));
      return new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array<number>(504).fill(0), ...names]);
    };
    expect((await parseError(parseDocument('docx', container('EncryptionInfo', 'EncryptedPackage')))).code).toBe('ENCRYPTED');
    expect((await parseError(parseDocument('docx', container('WordDocument')))).code).toBe('UNSUPPORTED');
  });

  it('rejects a Word document without text with EMPTY', async () => {
    expect((await parseError(parseDocument('docx', await makeEmptyDocx()))).code).toBe('EMPTY');
    expect((await parseError(parseDocument('docx', new Uint8Array()))).code).toBe('EMPTY');
  });
});
