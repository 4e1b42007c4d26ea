import { describe, expect, it } from 'vitest';
import { errorCodeOf, errorMessageKey, friendlyError, isSessionExpired, NETWORK_ERROR, UNKNOWN_ERROR } from './errors.ts';
import { de } from './i18n/de.ts';

describe('errorCodeOf', () => {
  it('reads the first extensions.code of a CombinedError-like value', () => {
    expect(
      errorCodeOf({ graphQLErrors: [{ extensions: {} }, { extensions: { code: 'BOT_NOT_PUBLISHED' } }] }),
    ).toBe('BOT_NOT_PUBLISHED');
  });

  it('reads graphql-ws error arrays', () => {
    expect(errorCodeOf([{ extensions: { code: 'UNAUTHENTICATED' } }])).toBe('UNAUTHENTICATED');
  });

  it('falls back to NETWORK_ERROR or UNKNOWN_ERROR', () => {
    expect(errorCodeOf({ graphQLErrors: [], networkError: new Error('fetch failed') })).toBe(NETWORK_ERROR);
    expect(errorCodeOf({ graphQLErrors: [{ extensions: { code: 42 } }] })).toBe(UNKNOWN_ERROR);
    expect(errorCodeOf(undefined)).toBe(UNKNOWN_ERROR);
  });
});

describe('friendlyError', () => {
  it('has a specific message for each known code', () => {
    const codes = ['NOT_FOUND', 'BAD_USER_INPUT', 'UNAUTHENTICATED', 'BOT_NOT_PUBLISHED', 'QUOTA_EXCEEDED', NETWORK_ERROR];
    const texts = codes.map((code) => friendlyError(code, 'send'));
    expect(new Set(texts).size).toBe(codes.length);
    expect(friendlyError('BOT_NOT_PUBLISHED', 'start')).toMatch(/not available yet/);
  });

  it('tells visitors of an archived bot that the chat is not available, without promising it comes back', () => {
    expect(friendlyError('BOT_ARCHIVED', 'start')).toBe(friendlyError('NOT_FOUND', 'start'));
    expect(friendlyError('BOT_ARCHIVED', 'start')).not.toMatch(/yet|soon/);
  });

  it('never echoes the code or raw text for unknown codes', () => {
    const text = friendlyError('INTERNAL_SERVER_ERROR: stack at db.ts:12', 'reply');
    expect(text).toBe('Sorry, I could not finish that reply. Please try again.');
  });

  it("speaks the visitor's language when given a catalogue", () => {
    expect(friendlyError('QUOTA_EXCEEDED', 'send', de)).toBe(de.errorQuotaExceeded);
    expect(friendlyError('SOMETHING_NEW', 'reply', de)).toBe(de.errorReply);
    expect(errorMessageKey('NOT_FOUND', 'start')).toBe('errorBotNotFound');
    expect(errorMessageKey('NOT_FOUND', 'send')).toBe('errorConversationEnded');
    expect(errorMessageKey('ORIGIN_NOT_ALLOWED', 'start')).toBe('errorOriginNotAllowed');
  });

  it('treats UNAUTHENTICATED and NOT_FOUND as an expired session', () => {
    expect(isSessionExpired('UNAUTHENTICATED')).toBe(true);
    expect(isSessionExpired('NOT_FOUND')).toBe(true);
    expect(isSessionExpired('QUOTA_EXCEEDED')).toBe(false);
  });
});
