import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';

let embedded: EmbeddedPostgres;
let pool: pg.Pool;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({});
  pool = new pg.Pool({ connectionString: embedded.url, max: 12 });
});
afterAll(async () => {
  await pool?.end();
  await embedded?.stop();
});

describe('embedded PostgreSQL behind the socket server', () => {
  it("keeps each pooled connection's parameterised queries whole while others run transactions", async () => {
    // Parameterised queries travel as Parse/Bind/Execute/Sync; without keeping them together, the one
    // backend bound one connection's statement with another's parameters, or lost it altogether.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 300 }, async (_, i) => {
        if (i % 3 === 0) {
          const client = await pool.connect();
          try {
            await client.query('begin');
            const { rows } = await client.query('select $1::text as value', [`tx-${i}`]);
            await client.query('commit');
            return rows[0].value === `tx-${i}`;
          } finally {
            client.release();
          }
        }
        const { rows } = await pool.query('select $1::int + $2::int as sum', [i, 1]);
        return rows[0].sum === i + 1;
      }),
    );
    const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    expect(outcomes.every((o) => o.status === 'fulfilled' && o.value)).toBe(true);
  });

  it('answers the next query after one failed', async () => {
    await expect(pool.query('select $1::int', ['not a number'])).rejects.toThrow(/invalid input syntax/);
    const { rows } = await pool.query('select $1::int as n', [7]);
    expect(rows[0].n).toBe(7);
  });
});
