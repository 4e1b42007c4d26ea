import { describe, expect, it } from 'vitest';
import {
  createHostEvents,
  deviceKind,
  findLoaderScript,
  guard,
  isTrustedWidgetEvent,
  loaderConfigUrl,
  mascotOriginFromSrc,
  newVisitorId,
  parseLoaderConfig,
  rememberedVisitorId,
  VISITOR_STORAGE_KEY,
  widgetFrameUrl,
  type ScriptLike,
  type ScriptLookup,
  type StorageLike,
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

  it('passes the visitor id and variant when known', () => {
    expect(widgetFrameUrl('https://mascot.example', 'b1', null, { visitor: 'v_1234567', variant: 'warm' })).toBe(
      'https://mascot.example/widget/?bot=b1&visitor=v_1234567&variant=warm',
    );
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

  it('accepts message and lead events, with their shapes checked', () => {
    const origin = 'https://mascot.example';
    const event = (data: unknown) => isTrustedWidgetEvent({ origin, source: frameWindow, data }, origin, frameWindow);
    expect(event({ source: 'mascot-widget', type: 'message', role: 'assistant', text: 'Hi [1]' })).toBe(true);
    expect(event({ source: 'mascot-widget', type: 'lead' })).toBe(true);
    expect(event({ source: 'mascot-widget', type: 'message', role: 'system', text: 'x' })).toBe(false);
    expect(event({ source: 'mascot-widget', type: 'message', role: 'visitor', text: 42 })).toBe(false);
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

describe('loaderConfigUrl', () => {
  it('asks for the bot with the visitor id and the page origin', () => {
    expect(loaderConfigUrl('https://mascot.example', 'bot_a/b', 'v_12345678', 'https://shop.example')).toBe(
      'https://mascot.example/widget/config/bot_a%2Fb?visitor=v_12345678&origin=https%3A%2F%2Fshop.example',
    );
    expect(loaderConfigUrl('https://mascot.example', 'bot_1', 'v_12345678', null)).toBe('https://mascot.example/widget/config/bot_1?visitor=v_12345678');
  });
});

describe('parseLoaderConfig', () => {
  const valid = {
    placement: { include: ['/shop/*'], exclude: [], delaySeconds: 3, position: 'bottom-left', devices: ['desktop', 'mobile'] },
    theme: { primaryColor: '#0f766e', backgroundColor: '#ffffff', textColor: '#111827', launcher: 'icon' },
    variantId: 'warm',
    originAllowed: true,
  };

  it('keeps what the loader uses', () => {
    expect(parseLoaderConfig(valid)).toEqual({
      placement: { include: ['/shop/*'], exclude: [], delaySeconds: 3, position: 'bottom-left', devices: ['desktop', 'mobile'] },
      theme: { primaryColor: '#0f766e', launcher: 'icon' },
      variantId: 'warm',
      engagement: { teaser: null, sound: false },
    });
    const teasing = { ...valid, engagement: { teaser: { text: 'Hi!', delaySeconds: 4, pages: [] }, sound: true } };
    expect(parseLoaderConfig(teasing)!.engagement).toEqual({ teaser: { text: 'Hi!', delaySeconds: 4, pages: [] }, sound: true });
  });

  it('never lets anything but #rrggbb into the style sheet', () => {
    const hostile = { ...valid, theme: { ...valid.theme, primaryColor: 'red;}*{display:none' } };
    expect(parseLoaderConfig(hostile)!.theme.primaryColor).toBe('#4f46e5');
  });

  it('refuses bodies it does not understand, and refusals', () => {
    expect(parseLoaderConfig(null)).toBeNull();
    expect(parseLoaderConfig({ error: { code: 'NOT_FOUND' } })).toBeNull();
    expect(parseLoaderConfig({ ...valid, originAllowed: false })).toBeNull();
    expect(parseLoaderConfig({ ...valid, placement: { ...valid.placement, include: 'all' } })).toBeNull();
    expect(parseLoaderConfig({ ...valid, placement: { ...valid.placement, delaySeconds: -1 } })).toBeNull();
  });
});

describe('deviceKind', () => {
  it('tells phones, tablets and desktops apart by pointer and viewport', () => {
    expect(deviceKind(390, 844, true)).toBe('mobile');
    expect(deviceKind(844, 390, true)).toBe('mobile'); // a phone held sideways
    expect(deviceKind(820, 1180, true)).toBe('tablet');
    expect(deviceKind(1280, 800, false)).toBe('desktop');
    expect(deviceKind(360, 640, false)).toBe('mobile'); // a narrow window gets the full-screen layout
  });
});

describe('visitor id', () => {
  function memoryStorage(initial: Record<string, string> = {}): StorageLike & { data: Record<string, string> } {
    const data = { ...initial };
    return { data, getItem: (key) => data[key] ?? null, setItem: (key, value) => void (data[key] = value) };
  }

  it('is 22 base64url characters', () => {
    const id = newVisitorId(new Uint8Array(16).fill(255));
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newVisitorId(new Uint8Array(16))).not.toBe(id);
  });

  it('is created once and kept in the host page storage', () => {
    const storage = memoryStorage();
    expect(rememberedVisitorId(() => storage, 'fresh-id-0001')).toBe('fresh-id-0001');
    expect(storage.data[VISITOR_STORAGE_KEY]).toBe('fresh-id-0001');
    expect(rememberedVisitorId(() => storage, 'other-id-0002')).toBe('fresh-id-0001');
  });

  it('replaces a stored value that is not an id', () => {
    const storage = memoryStorage({ [VISITOR_STORAGE_KEY]: '<script>' });
    expect(rememberedVisitorId(() => storage, 'fresh-id-0001')).toBe('fresh-id-0001');
  });

  it('falls back to the in-memory id when storage throws', () => {
    const blocked = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    expect(rememberedVisitorId(blocked, 'memory-id-001')).toBe('memory-id-001');
  });
});

describe('createHostEvents', () => {
  it('calls every handler, reports one that throws, and keeps going', () => {
    const reported: unknown[] = [];
    const events = createHostEvents((error) => reported.push(error));
    const seen: unknown[] = [];
    events.on('message', () => {
      throw new Error('host bug');
    });
    events.on('message', (detail: unknown) => seen.push(detail));
    expect(() => events.emit('message', { role: 'visitor', text: 'hi' })).not.toThrow();
    expect(seen).toEqual([{ role: 'visitor', text: 'hi' }]);
    expect(reported).toHaveLength(1);
  });

  it('stops calling a handler after off, and refuses unknown events', () => {
    const events = createHostEvents(() => {});
    const seen: string[] = [];
    const handler = () => seen.push('open');
    expect(events.on('open', handler)).toBe(true);
    events.emit('open');
    events.off('open', handler);
    events.emit('open');
    expect(seen).toEqual(['open']);
    expect(events.on('opened', handler)).toBe(false);
    expect(events.on('open', 'not a function')).toBe(false);
  });

  it('calls a ready handler registered after ready at once', () => {
    const events = createHostEvents(() => {});
    events.emit('ready', { variantId: 'warm' });
    const seen: unknown[] = [];
    events.on('ready', (detail: unknown) => seen.push(detail));
    expect(seen).toEqual([{ variantId: 'warm' }]);
  });
});

describe('guard', () => {
  it('reports an exception instead of throwing it', () => {
    const reported: unknown[] = [];
    const safe = guard((error) => reported.push(error), (value: number) => {
      if (value > 1) throw new Error('too big');
    });
    expect(() => safe(2)).not.toThrow();
    safe(1);
    expect(reported).toHaveLength(1);
  });
});
