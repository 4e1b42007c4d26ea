import { describe, expect, it } from 'vitest';
import type { ChatMessage } from './conversation-state.ts';
import { settledSince, type SeenStatuses } from './use-host-bridge.ts';

const visitor = (id: string, status: 'sending' | 'sent' | 'failed', text = 'Hi'): ChatMessage => ({
  kind: 'visitor', id, serverId: status === 'sent' ? `s-${id}` : null, text, status, errorCode: null,
});
const assistant = (id: string, status: 'typing' | 'streaming' | 'complete' | 'failed', text = ''): ChatMessage => ({
  kind: 'assistant', id, status, text, chunks: [], sources: [], errorCode: null, inReplyTo: null,
});

describe('settledSince', () => {
  it('announces a visitor message once stored and a reply once complete, each once', () => {
    const seen: SeenStatuses = new Map();
    expect(settledSince(seen, [visitor('v1', 'sending')])).toEqual([]);
    expect(settledSince(seen, [visitor('v1', 'sent'), assistant('a1', 'typing')])).toEqual([{ role: 'visitor', text: 'Hi' }]);
    expect(settledSince(seen, [visitor('v1', 'sent'), assistant('a1', 'streaming', 'The Pro')])).toEqual([]);
    expect(settledSince(seen, [visitor('v1', 'sent'), assistant('a1', 'complete', 'The Pro plan costs 29 dollars [1].')])).toEqual([
      { role: 'assistant', text: 'The Pro plan costs 29 dollars [1].' },
    ]);
    expect(settledSince(seen, [visitor('v1', 'sent'), assistant('a1', 'complete', 'The Pro plan costs 29 dollars [1].')])).toEqual([]);
  });

  it('treats messages first seen settled as history (a restored transcript)', () => {
    const seen: SeenStatuses = new Map();
    expect(settledSince(seen, [visitor('v1', 'sent'), assistant('a1', 'complete', 'Old answer')])).toEqual([]);
  });

  it('does not announce failures', () => {
    const seen: SeenStatuses = new Map();
    settledSince(seen, [visitor('v1', 'sending'), assistant('a1', 'typing')]);
    expect(settledSince(seen, [visitor('v1', 'failed'), assistant('a1', 'failed')])).toEqual([]);
  });
});
