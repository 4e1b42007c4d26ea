import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.ts';

describe('secret box', () => {
  const box = createSecretBox('a-master-secret-of-at-least-32-characters', 'webhooks');

  it('opens what it sealed, and seals the same text differently each time', () => {
    const first = box.seal('whsec_abc');
    expect(box.open(first)).toBe('whsec_abc');
    expect(box.seal('whsec_abc')).not.toBe(first);
    expect(first).not.toContain('whsec_abc');
  });

  it('refuses altered text and text sealed for another purpose or under another master secret', () => {
    const sealed = box.seal('whsec_abc');
    const parts = sealed.split('.');
    parts[2] = Buffer.from('whsec_xyz').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => createSecretBox('a-master-secret-of-at-least-32-characters', 'other').open(sealed)).toThrow();
    expect(() => createSecretBox('another-master-secret-of-32-characters!!', 'webhooks').open(sealed)).toThrow();
    expect(() => box.open('garbage')).toThrow(/Not a sealed secret/);
  });
});
