import { describe, expect, it } from 'vitest';
import { authorizationOf, syncAuthorizationHeader, tokenFromInput, tokenInResponse } from './authorization.ts';

const retired = (...tokens: string[]) => (token: string) => tokens.includes(token);
const parsed = (text: string | undefined) => (text ? (JSON.parse(text) as Record<string, unknown>) : text);

describe('syncAuthorizationHeader', () => {
  it('adds the current token to empty or Authorization-less headers', () => {
    expect(parsed(syncAuthorizationHeader('', 'abc', retired()))).toEqual({ Authorization: 'Bearer abc' });
    expect(parsed(syncAuthorizationHeader('{ "x-trace": "1" }', 'abc', retired()))).toEqual({
      Authorization: 'Bearer abc',
      'x-trace': '1',
    });
  });

  it('changes nothing when the header is already right', () => {
    expect(syncAuthorizationHeader('{"Authorization":"Bearer abc"}', 'abc', retired())).toBeUndefined();
  });

  it('replaces a token from before the last sign-in, whatever the key’s case', () => {
    expect(parsed(syncAuthorizationHeader('{"authorization":"Bearer old"}', 'new', retired('old')))).toEqual({
      Authorization: 'Bearer new',
    });
  });

  it('leaves a header the user set themselves, unless forced', () => {
    const text = '{"Authorization":"Bearer visitor"}';
    expect(syncAuthorizationHeader(text, 'user', retired())).toBeUndefined();
    expect(parsed(syncAuthorizationHeader(text, 'user', retired(), { force: true }))).toEqual({
      Authorization: 'Bearer user',
    });
  });

  it('removes our token on sign-out and keeps the other headers', () => {
    expect(syncAuthorizationHeader('{"Authorization":"Bearer old"}', null, retired('old'))).toBe('');
    expect(parsed(syncAuthorizationHeader('{"Authorization":"Bearer old","x":"1"}', null, retired('old')))).toEqual({
      x: '1',
    });
    expect(syncAuthorizationHeader('{"Authorization":"Bearer mine"}', null, retired('old'))).toBeUndefined();
  });

  it('does not touch text that is not a JSON object (the user is typing)', () => {
    expect(syncAuthorizationHeader('{"Authorization": ', 'abc', retired())).toBeUndefined();
    expect(syncAuthorizationHeader('[1]', 'abc', retired())).toBeUndefined();
  });
});

describe('token helpers', () => {
  it('accept pasted tokens with or without the scheme', () => {
    expect(tokenFromInput('  Bearer abc.def ')).toBe('abc.def');
    expect(tokenFromInput('abc.def')).toBe('abc.def');
  });

  it('read Authorization whatever its case', () => {
    expect(authorizationOf({ authorization: 'Bearer x' })).toBe('Bearer x');
    expect(authorizationOf({ AUTHORIZATION: ' Bearer y ' })).toBe('Bearer y');
    expect(authorizationOf({ other: 'z' })).toBeUndefined();
    expect(authorizationOf(undefined)).toBeUndefined();
  });

  it('find the token in logIn, signUp and startConversation responses', () => {
    expect(tokenInResponse('{"data":{"logIn":{"accessToken":"a","user":{"id":"1"}}}}')).toBe('a');
    expect(tokenInResponse('{"data":{"startConversation":{"conversationId":"c","visitorToken":"v"}}}')).toBe('v');
    expect(tokenInResponse('{"data":{"me":{"role":"owner"}}}')).toBeUndefined();
    expect(tokenInResponse('not json')).toBeUndefined();
  });
});
