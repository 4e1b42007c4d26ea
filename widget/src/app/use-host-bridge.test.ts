import { describe, expect, it } from 'vitest';
import type { ChatMessage } from './conversation-state.ts';
import { settledSince, type SeenStatuses } from './use-host-bridge.ts';

const visitor = (id: string, status: 'sending' | 'sent' | 'failed', text = 'Hi'): ChatMessage => ({
  kind: 'visitor', id, serverId: status === 'sent' ? `s-${id}` : null, text, status, errorCode: null,
});
const assistant = (id: string, status: 'typing' | 'streaming' | 'complete' | 'failed', text = ''): ChatMessage => ({
  kind: 'assistant', id, status, text, chunks: [], sources: [], errorCode: null, inReplyTo: null,
});

const agent = (id: string, text: string): ChatMessage => ({ kind: 'agent', id, text, authorName: 'Grace' });

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

  it('announces an agent message that appears after the first transcript, with the agent name, once', () => {
    const seen: SeenStatuses = new Map();
    const old = agent('g0', 'Earlier answer');
    expect(settledSince(seen, [])).toEqual([]);
    // The restored transcript, an agent's earlier message included, is history.
    expect(settledSince(seen, [visitor('v1', 'sent'), old])).toEqual([]);
    const fresh = agent('g1', 'Hi, Grace here.');
    expect(settledSince(seen, [visitor('v1', 'sent'), old, fresh])).toEqual([{ role: 'agent', text: 'Hi, Grace here.', authorName: 'Grace' }]);
    expect(settledSince(seen, [visitor('v1', 'sent'), old, fresh])).toEqual([]);
  });

  it('does not announce failures', () => {
    const seen: SeenStatuses = new Map();
    settledSince(seen, [visitor('v1', 'sending'), assistant('a1', 'typing')]);
    expect(settledSince(seen, [visitor('v1', 'failed'), assistant('a1', 'failed')])).toEqual([]);
  });
});
