import { describe, expect, it } from 'vitest';
import {
  findLoaderScript,
  isTrustedWidgetEvent,
  mascotOriginFromSrc,
  widgetFrameUrl,
  type ScriptLike,
  type ScriptLookup,
} from './embed-helpers.ts';

function script(src: string, attrs: Record<string, string> = {}): ScriptLike {
  return { src, getAttribute: (name) => attrs[name] ?? null };
}

function doc(currentScript: unknown, scripts: ScriptLike[] = []): ScriptLookup {
  return { currentScript, querySelectorAll: () => scripts };
}

describe('findLoaderScript', () => {
  it('uses document.currentScript while the loader runs', () => {
    const current = script('https://mascot.example/embed.js', { 'data-bot': 'b1' });
    expect(findLoaderScript(doc(current, [script('https://other.example/embed.js')]))).toBe(current);
  });

  it('falls back to script[data-bot], preferring one named embed.js', () => {
    const other = script('https://cdn.example/analytics.js', { 'data-bot': 'x' });
    const ours = script('https://mascot.example/embed.js?v=2', { 'data-bot': 'b1' });
    expect(findLoaderScript(doc(null, [other, ours]))).toBe(ours);
  });

  it('falls back when currentScript lacks data-bot (e.g. a wrapper script)', () => {
    const wrapper = script('https://site.example/tag-manager.js');
    const ours = script('https://mascot.example/embed.js', { 'data-bot': 'b1' });
    expect(findLoaderScript(doc(wrapper, [ours]))).toBe(ours);
  });

  it('takes the first data-bot script with a src when none is named embed.js', () => {
    const first = script('https://mascot.example/loader.js', { 'data-bot': 'b1' });
    expect(findLoaderScript(doc(null, [script('', { 'data-bot': 'inline' }), first]))).toBe(first);
  });

  it('returns null when nothing matches', () => {
    expect(findLoaderScript(doc(null))).toBeNull();
  });
});

describe('mascotOriginFromSrc', () => {
  it('derives the origin from an absolute src', () => {
    expect(mascotOriginFromSrc('https://mascot.example/embed.js?x=1', 'https://shop.example/page')).toBe(
      'https://mascot.example',
    );
  });

  it('keeps a non-default port', () => {
    expect(mascotOriginFromSrc('http://localhost:4000/embed.js', 'http://localhost:5173/')).toBe(
      'http://localhost:4000',
    );
  });

  it('resolves relative and protocol-relative src against the page', () => {
    expect(mascotOriginFromSrc('/embed.js', 'https://mascot.example/demo/')).toBe('https://mascot.example');
    expect(mascotOriginFromSrc('//mascot.example/embed.js', 'https://shop.example/')).toBe(
      'https://mascot.example',
    );
  });

  it('rejects non-http(s) sources', () => {
    expect(mascotOriginFromSrc('data:text/javascript,1', 'https://shop.example/')).toBeNull();
    expect(mascotOriginFromSrc('file:///tmp/embed.js', 'file:///tmp/page.html')).toBeNull();
  });
});

describe('widgetFrameUrl', () => {
  it('points at /widget/ with the encoded embed id and host origin', () => {
    expect(widgetFrameUrl('https://mascot.example', 'a b&c', 'https://shop.example')).toBe(
      'https://mascot.example/widget/?bot=a%20b%26c&host=https%3A%2F%2Fshop.example',
    );
  });

  it('omits host when the page has no usable origin', () => {
    expect(widgetFrameUrl('https://mascot.example', 'b1', null)).toBe('https://mascot.example/widget/?bot=b1');
  });
});

describe('isTrustedWidgetEvent', () => {
  const frameWindow = { name: 'frame' };
  const close = { source: 'mascot-widget', type: 'close' };

  it('accepts a close message from our iframe at Mascot origin', () => {
    expect(
      isTrustedWidgetEvent({ origin: 'https://mascot.example', source: frameWindow, data: close }, 'https://mascot.example', frameWindow),
    ).toBe(true);
  });

  it('rejects another origin, another window, or a foreign message', () => {
    const origin = 'https://mascot.example';
    expect(isTrustedWidgetEvent({ origin: 'https://evil.example', source: frameWindow, data: close }, origin, frameWindow)).toBe(false);
    expect(isTrustedWidgetEvent({ origin, source: { name: 'other' }, data: close }, origin, frameWindow)).toBe(false);
    expect(isTrustedWidgetEvent({ origin, source: frameWindow, data: { type: 'close' } }, origin, frameWindow)).toBe(false);
    expect(isTrustedWidgetEvent({ origin, source: frameWindow, data: 'close' }, origin, frameWindow)).toBe(false);
  });

  it('rejects everything before the iframe exists', () => {
    expect(isTrustedWidgetEvent({ origin: 'https://mascot.example', source: null, data: close }, 'https://mascot.example', null)).toBe(false);
  });
});
