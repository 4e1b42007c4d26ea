import { describe, expect, it } from 'vitest';
import { charsetOfContentType, charsetOfMeta, decodePage } from './page-charset.ts';

// "Café & crème brûlée – 5 €" in windows-1252: é E9, è E8, û FB, en dash 96, euro sign 80.
const windows1252 = (text: string) => Uint8Array.from([...text].map((c) => ({ '–': 0x96, '€': 0x80 } as Record<string, number>)[c] ?? c.charCodeAt(0)));
const PAGE = 'Café & crème brûlée – 5 €';

describe('decodePage', () => {
  it('uses the charset of the Content-Type header', () => {
    expect(decodePage(windows1252(PAGE), 'text/html; charset=windows-1252')).toBe(PAGE);
    // ISO-8859-1 is read as windows-1252, as browsers do (the Encoding Standard maps the label so).
    expect(decodePage(windows1252(PAGE), 'text/html; Charset="ISO-8859-1"')).toBe(PAGE);
  });

  it('uses the <meta> charset when the header names none, in either form', () => {
    expect(decodePage(windows1252(`<html><head><meta charset="iso-8859-1"></head><body>${PAGE}`), 'text/html')).toContain(PAGE);
    expect(decodePage(windows1252(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>${PAGE}`), null)).toContain(PAGE);
  });

  it('lets a byte order mark win over the header, and the header over the <meta>', () => {
    const utf8 = new TextEncoder().encode(PAGE);
    expect(decodePage(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]), 'text/html; charset=windows-1252')).toBe(PAGE);
    expect(decodePage(new TextEncoder().encode(`<meta charset="windows-1252">${PAGE}`), 'text/html; charset=utf-8')).toBe(`<meta charset="windows-1252">${PAGE}`);
  });

  it('reads UTF-8 when nothing is declared or the label is unknown', () => {
    expect(decodePage(new TextEncoder().encode(PAGE))).toBe(PAGE);
    expect(decodePage(new TextEncoder().encode(PAGE), 'text/html; charset=x-no-such-charset')).toBe(PAGE);
  });
});

describe('charset declarations', () => {
  it('are read from the header and the first KiB of the page only', () => {
    expect(charsetOfContentType('text/html;charset=Shift_JIS')).toBe('Shift_JIS');
    expect(charsetOfContentType('text/html')).toBeNull();
    expect(charsetOfMeta(new TextEncoder().encode(`${' '.repeat(1100)}<meta charset="windows-1252">`))).toBeNull();
  });
});
