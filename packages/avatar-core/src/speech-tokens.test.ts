import { describe, expect, it } from 'vitest';
import { splitSpeechRuns, speechTokensOfRun } from './speech-tokens.ts';

// Words as their visemes, pauses as <short>/<long>.
const read = (text: string): string[] =>
  splitSpeechRuns(text)
    .flatMap(speechTokensOfRun)
    .map((token) => (token.kind === 'pause' ? `<${token.length}>` : token.units.map((unit) => unit.viseme).join('.')));

describe('splitSpeechRuns', () => {
  it.each(['', 'Hello, world.', '  a\n\nb  ', 'Preis: 29 € [1].', '中文和English 🙂'])('restores %j when joined', (text) => {
    expect(splitSpeechRuns(text).join('')).toBe(text);
  });

  it('cuts at whitespace and around every character of unspaced scripts', () => {
    expect(splitSpeechRuns('Hi there\n中文!')).toEqual(['Hi', ' ', 'there', '\n', '中', '文', '!']);
  });
});

describe('speechTokensOfRun', () => {
  it('pauses briefly at commas, semicolons, colons and dashes, and longer at sentence ends', () => {
    expect(read('a, b; c: d — e')).toEqual(['aa', '<short>', 'PP', '<short>', 'kk', '<short>', 'DD', '<short>', 'ih']);
    expect(read('Yes. No! Why? Hm…')).toEqual(['ih.E.SS', '<long>', 'nn.oh', '<long>', 'ou.aa.ih', '<long>', 'PP', '<long>']);
  });

  it('pauses at line breaks, longer at paragraph breaks, and not at spaces', () => {
    expect(read('a\nb\n\nc d')).toEqual(['aa', '<short>', 'PP', '<long>', 'kk', 'DD']);
  });

  it('reads numbers digit by digit, with a decimal point and silent thousands and time separators', () => {
    expect(read('29')).toEqual(read('two nine'));
    expect(read('3.5')).toEqual(read('three point five'));
    expect(read('1,000')).toEqual(read('one zero zero zero'));
    expect(read('10:30')).toEqual(read('one zero three zero'));
  });

  it('reads common symbols as words', () => {
    expect(read('A&B')).toEqual(read('A and B'));
    expect(read('50%')).toEqual(read('five zero percent'));
  });

  it('keeps citation markers, Markdown and emoji silent', () => {
    expect(read('answer [1].')).toEqual(read('answer.'));
    expect(read('**bold** _x_ 🙂')).toEqual(read('bold x'));
  });

  it('does not pause inside dotted names or hyphenated words', () => {
    expect(read('example.com')).toEqual(read('example com'));
    expect(read('well-known')).toEqual(read('well known'));
  });
});
