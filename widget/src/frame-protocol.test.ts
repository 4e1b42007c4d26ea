import { describe, expect, it } from 'vitest';
import { isHostMessage, isWidgetMessage, MAX_RELAYED_TEXT, parseIdentifiedVisitor, parseOrigin } from './frame-protocol.ts';

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
    expect(isWidgetMessage({ source: 'mascot-widget', type: 'app-ready', keepsConversation: false })).toBe(true);
    expect(isWidgetMessage({ source: 'mascot-widget', type: 'other' })).toBe(false);
    expect(isWidgetMessage({ source: 'mascot-host', type: 'close' })).toBe(false);
    expect(isWidgetMessage(null)).toBe(false);
    expect(isHostMessage({ source: 'mascot-host', type: 'opened' })).toBe(true);
    expect(isHostMessage({ source: 'mascot-widget', type: 'opened' })).toBe(false);
  });
});

describe('widget events and identify', () => {
  it('checks message events field by field', () => {
    expect(isWidgetMessage({ source: 'mascot-widget', type: 'message', role: 'visitor', text: 'hello' })).toBe(true);
    expect(isWidgetMessage({ source: 'mascot-widget', type: 'message', role: 'visitor', text: 'x'.repeat(MAX_RELAYED_TEXT + 1) })).toBe(false);
    expect(isWidgetMessage({ source: 'mascot-widget', type: 'message', role: 'agent', text: 'hello', authorName: 'Grace' })).toBe(true);
    expect(isWidgetMessage({ source: 'mascot-widget', type: 'message', role: 'agent', text: 'hello', authorName: 7 })).toBe(false);
    expect(isWidgetMessage({ source: 'mascot-widget', type: 'message', role: 'agent', text: 'hi', authorName: 'x'.repeat(201) })).toBe(false);
    expect(isWidgetMessage({ source: 'mascot-widget', type: 'message', role: 'system', text: 'hello' })).toBe(false);
    expect(isWidgetMessage({ source: 'mascot-widget', type: 'lead' })).toBe(true);
  });

  it('accepts identify only with a usable visitor', () => {
    expect(isHostMessage({ source: 'mascot-host', type: 'identify', visitor: { id: 'u-42' } })).toBe(true);
    expect(isHostMessage({ source: 'mascot-host', type: 'identify', visitor: { name: 'Ada' } })).toBe(false);
    expect(isHostMessage({ source: 'mascot-host', type: 'identify' })).toBe(false);
  });

  it('cleans an identified visitor: trims, drops what does not fit, keeps numeric ids', () => {
    expect(parseIdentifiedVisitor({ id: ' u-42 ', name: ' Ada Lovelace ', email: 'ada@example.com', role: 'admin' })).toEqual({
      id: 'u-42', name: 'Ada Lovelace', email: 'ada@example.com',
    });
    expect(parseIdentifiedVisitor({ id: 42, email: 'not an email', name: 'x'.repeat(201) })).toEqual({ id: '42' });
    expect(parseIdentifiedVisitor({ id: '' })).toBeNull();
    expect(parseIdentifiedVisitor({ id: 'x'.repeat(129) })).toBeNull();
    expect(parseIdentifiedVisitor('u-42')).toBeNull();
  });
});
