import { describe, expect, it } from 'vitest';
import { defaultBotBundle } from './default-bot-bundle.ts';
import { diffBotBundles } from './diff-bot-bundles.ts';
import { downgradeBotBundle, upgradeBotBundle } from './migrations.ts';
import { DEFAULT_PRIVACY, privacyOf } from './privacy.ts';
import { publicBotView } from './public-bot-view.ts';
import { fullBundle } from './test-bundles.ts';
import { validateBotBundle } from './validate-bot-bundle.ts';

const optedOut = () => ({ ...fullBundle(), privacy: { redactPii: false } });

describe('privacy', () => {
  it('redacts personal data in bundles that do not mention privacy, including those written before the field', () => {
    expect(DEFAULT_PRIVACY).toEqual({ redactPii: true });
    expect(privacyOf(defaultBotBundle('Pip'))).toEqual({ redactPii: true });
    expect(privacyOf(upgradeBotBundle({ personality: { systemPrompt: '', tone: 'friendly', greeting: 'Hi', unknownAnswer: null, offerHuman: true }, allowedOrigins: [] }))).toEqual({ redactPii: true });
  });

  it('keeps an opt-out and reads it back', () => {
    const result = validateBotBundle(optedOut());
    expect(result).toEqual({ ok: true, bundle: optedOut() });
    if (result.ok) expect(privacyOf(result.bundle)).toEqual({ redactPii: false });
  });

  it('has one canonical form of the default: a section equal to it is dropped', () => {
    const result = validateBotBundle({ ...fullBundle(), privacy: { redactPii: true } });
    expect(result.ok && JSON.stringify(result.bundle)).toBe(JSON.stringify(fullBundle()));
    expect(result.ok && diffBotBundles(fullBundle(), result.bundle)).toEqual([]);
  });

  it('reports a wrong value or an unknown field at its path', () => {
    const result = validateBotBundle({ ...fullBundle(), privacy: { redactPii: 'yes', mask: true } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(2);
      expect(result.errors).toEqual(expect.arrayContaining([
        { path: 'privacy.mask', message: 'is not a known field' },
        { path: 'privacy.redactPii', message: 'must be true or false' },
      ]));
    }
  });

  it('shows turning redaction off as a change, and keeps it out of the public view', () => {
    expect(diffBotBundles(fullBundle(), optedOut())).toEqual([{ path: 'privacy', kind: 'added', after: { redactPii: false } }]);
    expect(JSON.stringify(publicBotView(optedOut()))).not.toMatch(/privacy|redact/);
  });

  it('is dropped when written down to format 1, which has no place for it', () => {
    expect(downgradeBotBundle(optedOut(), 1)).not.toHaveProperty('privacy');
  });
});
