import { describe, expect, it } from 'vitest';
import { displayPrefix, generateApiKey, isWellFormedApiKey, looksLikeApiKey } from './api-key-format.ts';

describe('API key format', () => {
  it('generates distinct keys with the mk_ prefix and a valid checksum', () => {
    const keys = new Set(Array.from({ length: 200 }, generateApiKey));
    expect(keys.size).toBe(200);
    for (const key of keys) {
      expect(key).toMatch(/^mk_[0-9A-Za-z]{36}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
  });

  it('rejects any single-character change, so typos never reach the database', () => {
    const key = generateApiKey();
    let rejected = 0;
    for (let i = 3; i < key.length; i++) {
      const swapped = key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1);
      if (!isWellFormedApiKey(swapped)) rejected++;
    }
    expect(rejected).toBe(key.length - 3);
  });

  it('rejects wrong lengths and foreign prefixes', () => {
    const key = generateApiKey();
    expect(isWellFormedApiKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`${key}0`)).toBe(false);
    expect(isWellFormedApiKey(`xx_${key.slice(3)}`)).toBe(false);
    expect(looksLikeApiKey('mk_whatever')).toBe(true);
    expect(looksLikeApiKey('eyJhbGciOi')).toBe(false);
  });

  it('shows only a short prefix for lists', () => {
    const key = generateApiKey();
    expect(displayPrefix(key)).toHaveLength(9);
    expect(key.startsWith(displayPrefix(key))).toBe(true);
  });
});
