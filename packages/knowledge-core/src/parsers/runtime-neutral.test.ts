import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The parsers run in Node, Electron renderers and web workers. Tests and fixtures may use Node;
// the parser code itself may not.
const PARSER_FILES = readdirSync(new URL('.', import.meta.url))
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

describe('parser code', () => {
  it('imports no Node built-ins and uses no Node globals', () => {
    expect(PARSER_FILES.length).toBeGreaterThan(5);
    for (const name of PARSER_FILES) {
      const code = readFileSync(new URL(name, import.meta.url), 'utf8').replace(/^\s*\/\/.*$/gm, '');
      expect(code, name).not.toMatch(/from\s+['"](node:|fs['"]|path['"]|crypto['"]|buffer['"])/);
      expect(code, name).not.toMatch(/\b(Buffer|process|require|__dirname)\s*[.(]/);
    }
  });

  it('loads the heavy libraries only when a format needs them', () => {
    for (const name of PARSER_FILES) {
      const code = readFileSync(new URL(name, import.meta.url), 'utf8');
      expect(code, name).not.toMatch(/^import (?!type\b)[^;]*from\s+['"](unpdf|mammoth|linkedom|turndown)['"]/m);
    }
  });
});
