import { describe, expect, it } from 'vitest';
import { composerLimit } from './composer-limit.ts';

describe('composerLimit', () => {
  it('stays quiet for short drafts and counts down near the limit', () => {
    expect(composerLimit('Hello', 100)).toEqual({ length: 5, remaining: 95, over: false, near: false });
    expect(composerLimit('x'.repeat(80), 100)).toEqual({ length: 80, remaining: 20, over: false, near: true });
    expect(composerLimit('x'.repeat(100), 100).over).toBe(false);
  });

  it('flags a draft over the limit, counting what the server counts (trimmed)', () => {
    expect(composerLimit('x'.repeat(101), 100)).toEqual({ length: 101, remaining: -1, over: true, near: true });
    expect(composerLimit(`  ${'x'.repeat(100)}\n\n`, 100).over).toBe(false);
  });

  it('uses the server limit by default', () => {
    expect(composerLimit('x'.repeat(4000)).over).toBe(false);
    expect(composerLimit('x'.repeat(4001)).over).toBe(true);
  });
});
