import { describe, expect, it } from 'vitest';
import { publishBatcher } from './nats-bus.ts';

describe('publishBatcher', () => {
  it('hands everything published during one turn to the client together, in order, at the turn end', async () => {
    const sent: string[] = [];
    const turns: number[] = [];
    // What the NATS client does: write everything handed to it before its next microtask checkpoint at once.
    const writes: number[] = [];
    let turn = 0;
    const batcher = publishBatcher((subject, data) => {
      if (sent.length === writes.reduce((a, b) => a + b, 0)) queueMicrotask(() => writes.push(sent.length - writes.reduce((a, b) => a + b, 0)));
      sent.push(`${subject}:${data}`);
      turns.push(turn);
    });
    const published = Array.from({ length: 100 }, (_, i) => batcher.publish(`s.${i % 3}`, String(i)));
    expect(sent).toEqual([]); // nothing leaves before the turn ends
    await Promise.resolve();
    expect(sent).toEqual([]); // nor at the next microtask checkpoint (the client's own flush point)
    await Promise.all(published);
    expect(sent).toEqual(Array.from({ length: 100 }, (_, i) => `s.${i % 3}:${i}`));
    expect(new Set(turns)).toEqual(new Set([0]));
    expect(writes).toEqual([100]); // one socket write for the whole turn

    turn = 1;
    await batcher.publish('later', 'x');
    expect(sent.at(-1)).toBe('later:x');
    expect(turns.at(-1)).toBe(1);
    expect(writes).toEqual([100, 1]);
  });

  it('settles each publish with its own outcome', async () => {
    const batcher = publishBatcher((subject) => {
      if (subject === 'bad subject') throw new Error('bad subject');
    });
    const results = await Promise.allSettled([batcher.publish('a', '1'), batcher.publish('bad subject', '2'), batcher.publish('c', '3')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('drained() waits for the batch in flight (close sends what was published)', async () => {
    const sent: string[] = [];
    const batcher = publishBatcher((subject) => sent.push(subject));
    void batcher.publish('a', '1');
    void batcher.publish('b', '2');
    await batcher.drained();
    expect(sent).toEqual(['a', 'b']);
  });
});
