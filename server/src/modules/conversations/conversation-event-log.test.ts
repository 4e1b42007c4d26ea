import { describe, expect, it } from 'vitest';
import type { ConversationEvent } from '@mascot/events';
import { ReplyEventWriter, type UnnumberedEvent } from './conversation-event-log.ts';

const MESSAGE_ID = '00000000-0000-4000-8000-000000000001';
const delta = (text: string): UnnumberedEvent => ({ type: 'ReplyDelta', messageId: MESSAGE_ID, delta: text });

/** A stand-in for the database write: records each batch and completes when the test lets it. */
function recordingWrite() {
  const batches: UnnumberedEvent[][] = [];
  let seq = 0;
  const write = async (events: UnnumberedEvent[]): Promise<ConversationEvent[]> => {
    batches.push(events);
    await new Promise((resolve) => setImmediate(resolve));
    return events.map((event) => ({ ...event, seq: ++seq }) as ConversationEvent);
  };
  return { batches, write };
}

describe('ReplyEventWriter', () => {
  it('writes the first event at once and batches what arrives while a write is in flight', async () => {
    const { batches, write } = recordingWrite();
    const writer = new ReplyEventWriter(write);
    for (let i = 0; i < 200; i++) writer.emit(delta(` t${i}`));
    await writer.flush();
    expect(batches.map((b) => b.length)).toEqual([1, 199]);
    expect(batches.flat().map((e) => (e as { delta: string }).delta)).toEqual(Array.from({ length: 200 }, (_, i) => ` t${i}`));
    expect(writer.stats).toEqual({ events: 200, writes: 2 });
  });

  it('caps a batch so one insert never grows without bound', async () => {
    const { batches, write } = recordingWrite();
    const writer = new ReplyEventWriter(write);
    for (let i = 0; i < 1201; i++) writer.emit(delta('x'));
    await writer.flush();
    expect(batches.map((b) => b.length)).toEqual([1, 500, 500, 200]);
  });

  it('starts writing again for events emitted after everything was written', async () => {
    const { batches, write } = recordingWrite();
    const writer = new ReplyEventWriter(write);
    writer.emit(delta('a'));
    await writer.flush();
    writer.emit(delta('b'));
    writer.emit(delta('c'));
    await writer.flush();
    expect(batches.map((b) => b.length)).toEqual([1, 1, 1]);
  });

  it('reports a failed write on flush and drops what was still pending', async () => {
    let calls = 0;
    const writer = new ReplyEventWriter(async () => {
      calls += 1;
      throw new Error('database down');
    });
    writer.emit(delta('a'));
    writer.emit(delta('b'));
    await expect(writer.flush()).rejects.toThrow('database down');
    writer.emit(delta('c'));
    await expect(writer.flush()).rejects.toThrow('database down');
    expect(calls).toBe(1);
  });
});
