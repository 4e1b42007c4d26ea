import { describe, expect, it } from 'vitest';
import { pageKey, patternProblem, siteScope } from './site-scope.ts';

describe('siteScope', () => {
  const scope = siteScope(new URL('https://www.shop.example/docs/'), ['/docs/**', '/help/*'], ['/docs/old/**']);
  const inScope = (url: string) => scope.inScope(new URL(url));

  it('keeps to the same host (with or without www.) and port, over http or https', () => {
    expect(scope.sameSite(new URL('http://shop.example/docs/a'))).toBe(true);
    expect(scope.sameSite(new URL('https://WWW.SHOP.EXAMPLE/x'))).toBe(true);
    expect(scope.sameSite(new URL('https://shop.example:8443/docs/a'))).toBe(false);
    expect(scope.sameSite(new URL('https://cdn.shop.example/docs/a'))).toBe(false);
    expect(scope.sameSite(new URL('ftp://shop.example/docs/a'))).toBe(false);
  });

  it('matches glob patterns against the decoded path, excludes winning', () => {
    expect(inScope('https://shop.example/docs')).toBe(true);
    expect(inScope('https://shop.example/docs/a/b?x=1')).toBe(true);
    expect(inScope('https://shop.example/help/contact')).toBe(true);
    expect(inScope('https://shop.example/help/a/b')).toBe(false);
    expect(inScope('https://shop.example/docs/old/x')).toBe(false);
    expect(inScope('https://shop.example/d%6Fcs/old/x')).toBe(false);
    expect(inScope('https://shop.example/blog')).toBe(false);
    expect(siteScope(new URL('https://shop.example/'), [], []).inScope(new URL('https://shop.example/anything'))).toBe(true);
  });

  it('names patterns it cannot use, and keys pages without their fragment', () => {
    expect(patternProblem('/docs/**')).toBeNull();
    expect(patternProblem('docs/**')).toMatch(/must start with \//);
    expect(pageKey(new URL('https://shop.example/a?b=1#c'))).toBe('https://shop.example/a?b=1');
  });
});
