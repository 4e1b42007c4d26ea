import { describe, expect, it } from 'vitest';
import { makePdf, proseLines, type PdfLine } from './fixtures/make-pdf.ts';
import { parseDocument, ParseError } from './index.ts';

const HANDBOOK: PdfLine[][] = [
  [
    { text: 'Mascot Handbook', size: 22 },
    { text: 'Installation', size: 16, spaceBefore: 8 },
    ...proseLines('Install', 3),
    ...proseLines('Embed', 2, 10),
    { text: '• Open the dashboard', spaceBefore: 10 },
    { text: '• Copy the snippet' },
    { text: '1', spaceBefore: 40 },
  ],
  [...proseLines('Continued', 2), { text: 'Pricing', size: 16, spaceBefore: 8 }, ...proseLines('Pricing', 3), { text: '2', spaceBefore: 40 }],
  [{ text: 'Support', size: 16 }, ...proseLines('Support', 2), { text: 'Page 3 of 3', spaceBefore: 40 }],
];

async function parseError(promise: Promise<unknown>): Promise<ParseError> {
  const error = await promise.then(() => null, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ParseError);
  return error as ParseError;
}

// The first test also loads pdf.js; AES-256 key derivation is slow by design. Allow for a busy machine.
describe('parseDocument for PDF', { timeout: 20_000 }, () => {
  it('returns one section per page, in order, each with its page number', async () => {
    const document = await parseDocument('pdf', await makePdf(HANDBOOK));
    expect(document.sections.map((section) => section.page)).toEqual([1, 2, 3]);
    expect(document.sections[0]?.markdown).toContain('Install line 1 explains');
    expect(document.sections[1]?.markdown).toContain('Pricing line 3 explains');
    expect(document.sections[2]?.markdown).toContain('Support line 2 explains');
    expect(document.warnings).toEqual([]);
  });

  it('turns lines set larger than the body text into headings, the largest as level 1', async () => {
    const document = await parseDocument('pdf', await makePdf(HANDBOOK));
    expect(document.sections[0]?.markdown).toMatch(/^# Mascot Handbook\n\n## Installation\n\nInstall line 1/);
    expect(document.sections[1]?.markdown).toContain('\n\n## Pricing\n\nPricing line 1');
    expect(document.sections[2]?.markdown).toMatch(/^## Support\n/);
  });

  it('separates paragraphs at larger vertical gaps and keeps the lines of one paragraph together', async () => {
    const page = (await parseDocument('pdf', await makePdf(HANDBOOK))).sections[0]?.markdown ?? '';
    expect(page).toContain('install.\nInstall line 2');
    expect(page).toContain('install.\n\nEmbed line 1');
  });

  it('turns bullet characters into a Markdown list and drops bare page numbers', async () => {
    const document = await parseDocument('pdf', await makePdf(HANDBOOK));
    expect(document.sections[0]?.markdown).toMatch(/- Open the dashboard\n- Copy the snippet$/);
    expect(document.sections[1]?.markdown).not.toMatch(/\n2$/);
    expect(document.sections[2]?.markdown).not.toContain('Page 3 of 3');
  });

  it('takes the title from the PDF metadata, else from the first heading', async () => {
    expect((await parseDocument('pdf', await makePdf(HANDBOOK, { title: 'The Official Handbook' }))).title).toBe('The Official Handbook');
    expect((await parseDocument('pdf', await makePdf(HANDBOOK))).title).toBe('Mascot Handbook');
    expect((await parseDocument('pdf', await makePdf([proseLines('Plain', 2)]))).title).toBeNull();
  });

  it('warns about a page without text and keeps the numbers of the other pages', async () => {
    const document = await parseDocument('pdf', await makePdf([proseLines('First', 2), [], proseLines('Third', 2)]));
    expect(document.sections.map((section) => section.page)).toEqual([1, 3]);
    expect(document.warnings).toEqual(['page 2 has no extractable text (scanned image?)']);
  });

  it('leaves the caller’s bytes intact', async () => {
    const bytes = await makePdf([proseLines('Kept', 1)]);
    const copy = bytes.slice();
    await parseDocument('pdf', bytes);
    expect(bytes).toEqual(copy);
  });

  it('rejects a password-protected PDF with ENCRYPTED', async () => {
    const bytes = await makePdf([proseLines('Secret', 2)], { userPassword: 'open sesame' });
    const error = await parseError(parseDocument('pdf', bytes));
    expect(error.code).toBe('ENCRYPTED');
    expect(error.detail).toMatch(/password/);
  });

  it('rejects corrupted and truncated PDFs, and non-PDF bytes, with MALFORMED', async () => {
    const good = await makePdf(HANDBOOK);
    const damaged = good.slice();
    for (let i = 400; i < damaged.length - 100; i += 7) damaged[i] = (damaged[i] ?? 0) ^ 0x5a;
    const inputs = [
      damaged,
      good.slice(0, Math.floor(good.length / 2)),
      new TextEncoder().encode(`%PDF-1.7\n${'x'.repeat(2000)}`),
      new TextEncoder().encode('Just some text in a file called .pdf'),
    ];
    for (const bytes of inputs) expect((await parseError(parseDocument('pdf', bytes))).code).toBe('MALFORMED');
  });

  it('rejects a PDF without any text with EMPTY, suggesting a scan', async () => {
    const error = await parseError(parseDocument('pdf', await makePdf([[], []])));
    expect(error.code).toBe('EMPTY');
    expect(error.detail).toMatch(/none of the 2 pages.*OCR/);
    expect((await parseError(parseDocument('pdf', new Uint8Array()))).code).toBe('EMPTY');
  });

  it('rejects a PDF with more pages than maxPages with TOO_LARGE before reading any text', async () => {
    const bytes = await makePdf(HANDBOOK);
    const error = await parseError(parseDocument('pdf', bytes, { maxPages: 2 }));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.detail).toBe('the PDF has 3 pages; the limit is 2');
    await expect(parseDocument('pdf', bytes, { maxPages: 3 })).resolves.toBeDefined();
  });

  it('parses a 3-page PDF well within a second once pdf.js is loaded', async () => {
    const bytes = await makePdf(HANDBOOK);
    await parseDocument('pdf', bytes);
    const started = performance.now();
    await parseDocument('pdf', bytes);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
