import { describe, expect, it } from 'vitest';
import type { ConversationEvent } from './api-types.ts';
import { AvatarSignals, type AvatarSignal } from './avatar/avatar-signals.ts';
import { signalAvatar } from './use-conversation.ts';

describe('signalAvatar', () => {
  it('turns cues, streamed text and the end of a reply into avatar signals, and ignores the rest', () => {
    const signals = new AvatarSignals();
    const heard: AvatarSignal[] = [];
    signals.subscribe((signal) => heard.push(signal));
    const message = { id: 'm1', role: 'ASSISTANT' as const, text: 'Hi!', createdAt: '', sources: [], authorName: null };
    const events: ConversationEvent[] = [
      { __typename: 'ReplyStarted', seq: 1, messageId: 'm1' },
      { __typename: 'AvatarCue', seq: 2, messageId: 'm1', phase: 'listening', slot: 'listen', intensity: 0.6 },
      { __typename: 'ReplyDelta', seq: 3, messageId: 'm1', delta: 'Hi' },
      { __typename: 'ReplyDelta', seq: 4, messageId: 'm1', delta: '!' },
      { __typename: 'ReplyCompleted', seq: 5, message, requestsContact: false },
      { __typename: 'ReplyFailed', seq: 6, messageId: 'm2', code: 'INTERNAL_SERVER_ERROR' },
      { __typename: 'HandoffStatusChanged', seq: 7, status: 'WAITING_FOR_AGENT', agentName: null },
    ];
    for (const event of events) signalAvatar(signals, event);
    expect(heard).toEqual([
      { type: 'cue', slot: 'listen', messageId: 'm1' },
      { type: 'speech', messageId: 'm1', delta: 'Hi' },
      { type: 'speech', messageId: 'm1', delta: '!' },
      { type: 'speech-end', messageId: 'm1' },
      { type: 'speech-end', messageId: 'm2' },
    ]);
  });
});
