import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANIMATION_CATALOGUE, ANIMATION_SLOTS } from './animation-slots.ts';
import { CUE_RULES } from './cue-rules.ts';

// The README's tables are read by people choosing clips and debugging cues; keep them true.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('lists every slot in order with its category, loop flag and fallback', () => {
    ANIMATION_SLOTS.forEach((slot, index) => {
      const { category, loop, fallback } = ANIMATION_CATALOGUE[slot];
      const row = `| ${index + 1} | \`${slot}\` | ${category} | ${loop ? 'yes' : 'no'} | ${fallback === null ? '—' : `\`${fallback}\``} |`;
      expect(readme).toContain(row);
    });
  });

  it('lists every cue rule in order with its slot and reason', () => {
    CUE_RULES.forEach((rule, index) => {
      expect(readme).toMatch(new RegExp(`\\| ${index + 1} \\|[^\\n]*\\| \`${rule.slot}\` \\| ${rule.reason} \\|`));
    });
  });
});
