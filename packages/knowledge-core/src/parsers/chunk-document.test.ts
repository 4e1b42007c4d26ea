import { describe, expect, it } from 'vitest';
import { chunkText } from '../chunk-text.ts';
import { makeDocx } from './fixtures/make-docx.ts';
import { makePdf, proseLines } from './fixtures/make-pdf.ts';
import { chunkParsedDocument, parseCsv, parseDocument, type ParsedDocument } from './index.ts';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const paths = (chunks: readonly { sectionPath: string[] }[]): string[] => chunks.map((chunk) => chunk.sectionPath.join(' > '));

// The parsers' output is what chunkText was built for: these check that it gives each chunk the
// section path a reader would expect.
describe('parser output fed to the chunker', { timeout: 20_000 }, () => {
  it('gives PDF chunks their page and carries headings open at a page end over to the next page', async () => {
    const document = await parseDocument('pdf', await makePdf([
      [{ text: 'Handbook', size: 20 }, { text: 'Installation', size: 15 }, ...proseLines('Install', 3)],
      [...proseLines('Continued', 2), { text: 'Pricing', size: 15, spaceBefore: 8 }, ...proseLines('Pricing', 2)],
      [{ text: 'Appendix', size: 20 }, ...proseLines('Appendix', 2)],
    ]));
    const chunks = chunkParsedDocument(document);
    expect(chunks.map((chunk) => [chunk.page, chunk.sectionPath.join(' > ')])).toEqual([
      [1, 'Handbook > Installation'],
      [2, 'Handbook > Installation'],
      [2, 'Handbook > Pricing'],
      [3, 'Appendix'],
    ]);
    expect(chunks.map((chunk) => chunk.index)).toEqual([0, 1, 2, 3]);
    expect(chunks[1]?.text).toContain('Continued line 1');
    // Without the carried headings a page's leading text would have no section at all.
    expect(chunkText(document.sections[1]?.markdown ?? '')[0]?.sectionPath).toEqual([]);
  });

  it('gives DOCX chunks the Word heading structure and keeps the table whole under its heading', async () => {
    const document = await parseDocument('docx', await makeDocx());
    const chunks = chunkParsedDocument(document);
    expect(paths(chunks)).toEqual(['Mascot Guide', 'Installation', 'Installation > Pricing']);
    expect(chunks.every((chunk) => chunk.page === null)).toBe(true);
    expect(chunks[2]?.text).toContain('| Plan | Price | Mascots |\n| --- | --- | --- |\n| Free | $0 | 1 |');
  });

  it('gives HTML chunks the page headings, repeating the table header when a long table is split', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `<tr><td>Plan ${i}</td><td>$${i * 10} per month with ${i} mascots included</td></tr>`).join('');
    const html = `<title>Prices</title><main><h1>Pricing</h1><p>All plans.</p><h2>Plans</h2><table><tr><th>Plan</th><th>Price</th></tr>${rows}</table><h2>Refunds</h2><p>Within 30 days.</p></main>`;
    const chunks = chunkParsedDocument(await parseDocument('html', encode(html)));
    const planChunks = chunks.filter((chunk) => chunk.sectionPath.join(' > ') === 'Pricing > Plans');
    expect(paths(chunks)[0]).toBe('Pricing');
    expect(planChunks.length).toBeGreaterThan(1);
    for (const chunk of planChunks) expect(chunk.text).toContain('| Plan | Price |\n| --- | --- |');
    expect(paths(chunks).at(-1)).toBe('Pricing > Refunds');
  });

  it('gives Markdown and text chunks their headings', async () => {
    const markdown = await parseDocument('markdown', encode('# Guide\n\nIntro.\n\n## Install\n\nRun it.\n\n## Use\n\n- one\n- two'));
    expect(paths(chunkParsedDocument(markdown))).toEqual(['Guide', 'Guide > Install', 'Guide > Use']);
    const text = await parseDocument('text', encode('Opening hours\n\nMonday to Friday, 9 to 5.'));
    expect(paths(chunkParsedDocument(text))).toEqual(['']);
  });

  it('gives each CSV row a chunk named after its question or record title', () => {
    const qa = parseCsv(encode('Question,Answer\nHow much is Pro?,29 dollars a month.\nIs there a trial?,"Yes, 14 days."'), { mode: 'qa' });
    expect(qa.rows.map((row) => chunkText(row.markdown)).map(paths)).toEqual([['How much is Pro?'], ['Is there a trial?']]);
    const records = parseCsv(encode('Plan,Price\nPro,$29'), { mode: 'records', titleColumn: 'Plan' });
    const [chunk] = chunkText(records.rows[0]?.markdown ?? '');
    expect(chunk?.sectionPath).toEqual(['Pro']);
    expect(chunk?.text).toBe('Pro\n\n- **Price**: $29');
  });

  it('numbers chunks through a hand-made multi-section document and passes chunk options on', () => {
    const document: ParsedDocument = {
      title: null,
      warnings: [],
      sections: [
        { markdown: `# A\n\n${'word '.repeat(120)}`, page: 1 },
        { markdown: '## B\n\nshort', page: 2 },
      ],
    };
    const chunks = chunkParsedDocument(document, { maxTokens: 50, overlapTokens: 0 });
    expect(chunks.every((chunk) => chunk.tokenCount <= 50)).toBe(true);
    expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, i) => i));
    expect(chunks.at(-1)).toMatchObject({ page: 2, sectionPath: ['A', 'B'] });
  });
});
