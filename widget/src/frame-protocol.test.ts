import { describe, expect, it } from 'vitest';
import { isHostMessage, isWidgetMessage, parseOrigin } from './frame-protocol.ts';

describe('parseOrigin', () => {
  it('accepts bare http(s) origins', () => {
    expect(parseOrigin('https://shop.example')).toBe('https://shop.example');
    expect(parseOrigin('http://localhost:3000')).toBe('http://localhost:3000');
  });

  it('rejects anything that is not exactly an origin', () => {
    for (const value of [null, '', '*', 'null', 'https://shop.example/', 'https://shop.example/path', 'javascript:alert(1)', 'file:///x', 'not a url']) {
      expect(parseOrigin(value)).toBeNull();
    }
  });
});

describe('message guards', () => {
  it('recognises only tagged messages', () => {
    expect(isWidgetMessage({ source: 'mascot-widget', type: 'close' })).toBe(true);
    expect(isWidgetMessage({ source: 'mascot-widget', type: 'other' })).toBe(false);
    expect(isWidgetMessage({ source: 'mascot-host', type: 'close' })).toBe(false);
    expect(isWidgetMessage(null)).toBe(false);
    expect(isHostMessage({ source: 'mascot-host', type: 'opened' })).toBe(true);
    expect(isHostMessage({ source: 'mascot-widget', type: 'opened' })).toBe(false);
  });
});
