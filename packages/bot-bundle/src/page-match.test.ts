import { describe, expect, it } from 'vitest';
import { isPageIncluded } from './page-match.ts';

const everywhere = { include: [], exclude: [] };

describe('isPageIncluded', () => {
  it('includes every page when there are no patterns', () => {
    expect(isPageIncluded(everywhere, 'https://example.com/any/page?q=1')).toBe(true);
  });

  it.each([
    ['example.com/pricing', 'https://example.com/pricing', true],
    ['example.com/pricing', 'https://example.com/pricing/teams', false],
    ['example.com/blog/*', 'https://example.com/blog/2024/hello', true],
    ['example.com/blog/*', 'https://example.com/blog', false],
    ['*.example.com/*', 'https://shop.example.com/cart', true],
    ['shop.example.com', 'https://shop.example.com/any/path', true],
    ['shop.example.com', 'https://example.com/', false],
    ['/help/*', 'https://other.example/help/faq', true],
    ['/help/*', 'https://example.com/helpdesk', false],
    ['/pricing', 'https://example.com/PRICING?plan=pro#teams', true],
    ['/über-uns', 'https://example.de/%C3%BCber-uns', true],
    ['localhost:3000/*', 'http://localhost:3000/dev', true],
    ['example.com/a.b', 'https://example.com/axb', false],
  ])('pattern %j on %s: %s', (pattern, url, expected) => {
    expect(isPageIncluded({ include: [pattern], exclude: [] }, url)).toBe(expected);
  });

  it('leaves out excluded pages even when they are included', () => {
    const placement = { include: ['example.com/shop/*'], exclude: ['*/checkout*'] };
    expect(isPageIncluded(placement, 'https://example.com/shop/shoes')).toBe(true);
    expect(isPageIncluded(placement, 'https://example.com/shop/checkout/pay')).toBe(false);
  });

  it('includes nothing for a page URL that does not parse', () => {
    expect(isPageIncluded(everywhere, 'not a url')).toBe(false);
  });
});
