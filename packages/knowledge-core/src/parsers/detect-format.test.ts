import { describe, expect, it } from 'vitest';
import { makeDocx } from './fixtures/make-docx.ts';
import { makePdf, proseLines } from './fixtures/make-pdf.ts';
import { detectFormat } from './index.ts';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('detectFormat', () => {
  it('recognises a PDF by its signature whatever the file is called', async () => {
    const pdf = await makePdf([proseLines('Detect', 1)]);
    for (const name of ['report.pdf', 'report.txt', 'report.docx', 'report.csv', 'report']) expect(detectFormat(name, pdf)).toBe('pdf');
    expect(detectFormat('scan.pdf', new Uint8Array([...encode('junk before header\n'), ...pdf]))).toBe('pdf');
  });

  it('recognises a Word document by the ZIP signature and its word/document.xml part, beating a wrong extension', async () => {
    const docx = await makeDocx();
    for (const name of ['guide.docx', 'guide.pdf', 'guide.md', 'guide']) expect(detectFormat(name, docx)).toBe('docx');
  });

  it('leaves other ZIP and Office containers unrecognised unless named .docx, so parsing can say what is wrong', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...encode('xl/workbook.xml')]);
    const cfb = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect(detectFormat('prices.xlsx', zip)).toBeNull();
    expect(detectFormat('prices.pdf', zip)).toBeNull();
    expect(detectFormat('broken.docx', zip)).toBe('docx');
    expect(detectFormat('old.doc', cfb)).toBeNull();
    expect(detectFormat('protected.docx', cfb)).toBe('docx');
  });

  it('falls back to the extension, case-insensitively, for formats without a signature', () => {
    const text = encode('Hello');
    expect(detectFormat('README.MD', text)).toBe('markdown');
    expect(detectFormat('notes.markdown', text)).toBe('markdown');
    expect(detectFormat('C:\\docs\\page.HTM', text)).toBe('html');
    expect(detectFormat('/srv/uploads/page.html', text)).toBe('html');
    expect(detectFormat('notes.txt', text)).toBe('text');
    expect(detectFormat('faq.csv', text)).toBe('csv');
    expect(detectFormat('faq.tsv', text)).toBe('csv');
    expect(detectFormat('broken.pdf', text)).toBe('pdf');
    expect(detectFormat('broken.docx', text)).toBe('docx');
  });

  it('recognises HTML without a known extension and gives up on unknown or binary files', () => {
    expect(detectFormat('download', encode('\uFEFF  <!DOCTYPE html><html><body>x</body></html>'))).toBe('html');
    expect(detectFormat('page.php', encode('<html><body>x</body></html>'))).toBe('html');
    expect(detectFormat('data.json', encode('{"a":1}'))).toBeNull();
    expect(detectFormat('.md', encode('x'))).toBeNull();
    expect(detectFormat('photo.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBeNull();
    expect(detectFormat('empty.txt', new Uint8Array())).toBe('text');
  });
});
