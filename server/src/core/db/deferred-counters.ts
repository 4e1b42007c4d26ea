import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logging/index.ts';
import { inTenant } from './tenant-scope.ts';

/** Additions to one counter row, identified by its table and key columns (`tenant_id` among them). */
export interface CounterRow {
  /** A table whose key columns have a unique constraint (`on conflict` target). Never user input. */
  table: string;
  /** Key columns and values, in the order of the table's unique constraint; must include `tenant_id`. */
  key: Record<string, string>;
  /** Integer columns to add to. */
  add: Record<string, number>;
  /** Integer array columns to add to element by element (same length as the stored array). */
  addArrays?: Record<string, number[]>;
}

/** What a flush wrote: the rows, by table and key, so a module can announce changed figures. */
export type FlushedRows = ReadonlyArray<Pick<CounterRow, 'table' | 'key'>>;

interface Pending {
  row: CounterRow;
}

/** How often summed increments are written. A crash loses at most this much counting (see below). */
const DEFAULT_FLUSH_INTERVAL_MS = 1_000;

/**
 * Counters that many requests add to (a tenant's monthly AI spend, a bot's daily analytics and usage
 * roll-ups), summed in memory and written once a second: one statement per row and second instead of
 * one per message, and no row lock held by every visitor message and reply of a tenant until its
 * transaction commits (those locks serialized a busy site's traffic and cost a third of its writes).
 *
 * An increment joins the sums only when the transaction that recorded it commits, so a rolled-back
 * message never counts and nothing counts twice. The trade: a crash loses at most the last interval's
 * increments — the messages themselves, with their tokens and costs, are stored in their transactions,
 * so the roll-ups can be recomputed from them. Readers in this process call `flush()` first (reading
 * their own writes); another instance's increments show up within the interval.
 */
export class DeferredCounters {
  private pending = new Map<string, Pending>();
  private readonly byTransaction = new WeakMap<EntityManager, CounterRow[]>();
  private readonly listeners: Array<(rows: FlushedRows) => void> = [];
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly orm: MikroORM,
    private readonly logger: Logger,
    intervalMs = DEFAULT_FLUSH_INTERVAL_MS,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Adds `row` when `tx` (a tenant transaction) commits. */
  add(tx: EntityManager, row: CounterRow): void {
    let rows = this.byTransaction.get(tx);
    if (!rows) {
      const recorded: CounterRow[] = [];
      let summed = false;
      rows = recorded;
      this.byTransaction.set(tx, recorded);
      // MikroORM gives each transaction its own event manager (a clone): the hook lives and dies with it.
      tx.getEventManager().registerSubscriber({
        afterTransactionCommit: ({ em, transaction }) => {
          // Only this transaction's own commit counts, once. The hook also fires for savepoints
          // released inside it (a flush, such as the webhook outbox's), and for transactions of
          // forks made later in this transaction's async context (work it started, like the
          // webhook worker's nudged poll), whose event managers are cloned from this one.
          if (summed || em !== tx || (typeof transaction === 'object' && transaction !== null && 'savepointName' in transaction)) return;
          summed = true;
          for (const committed of recorded) this.sum(committed);
        },
      });
    }
    rows.push(row);
  }

  /** Called after every flush with the rows it wrote (for live "figures changed" notices). */
  onFlushed(listener: (rows: FlushedRows) => void): void {
    this.listeners.push(listener);
  }

  /** What this process has counted for a row and not written yet (0 when nothing). */
  unwritten(table: string, key: Record<string, string>, column: string): number {
    return this.pending.get(rowKey(table, key))?.row.add[column] ?? 0;
  }

  /** Writes every sum counted so far; resolves when they are stored. Concurrent calls queue. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeAll());
    return this.flushing;
  }

  /** Stops the timer and writes what is left (shutdown). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private sum(row: CounterRow): void {
    const key = rowKey(row.table, row.key);
    const existing = this.pending.get(key);
    if (!existing) {
      this.pending.set(key, { row: { ...row, add: { ...row.add }, ...(row.addArrays ? { addArrays: cloneArrays(row.addArrays) } : {}) } });
      return;
    }
    for (const [column, by] of Object.entries(row.add)) existing.row.add[column] = (existing.row.add[column] ?? 0) + by;
    for (const [column, values] of Object.entries(row.addArrays ?? {})) {
      const sums = (existing.row.addArrays ??= {})[column];
      if (!sums) existing.row.addArrays[column] = [...values];
      else values.forEach((value, index) => (sums[index] = (sums[index] ?? 0) + value));
    }
  }

  private async writeAll(): Promise<void> {
    if (this.pending.size === 0) return;
    const rows = [...this.pending.values()].map((p) => p.row);
    this.pending = new Map();
    const byTenant = new Map<string, CounterRow[]>();
    for (const row of rows) {
      const tenantId = row.key['tenant_id'];
      if (!tenantId) throw new Error(`counter row of ${row.table} without tenant_id`);
      byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), row]);
    }
    const written: CounterRow[] = [];
    for (const [tenantId, tenantRows] of byTenant) {
      try {
        // Rows in a fixed order, so two instances flushing the same rows never deadlock.
        tenantRows.sort((a, b) => rowKey(a.table, a.key).localeCompare(rowKey(b.table, b.key)));
        await inTenant(this.orm.em.fork(), tenantId, async (tx) => {
          for (const row of tenantRows) await upsert(tx, row);
        });
        written.push(...tenantRows);
      } catch (error) {
        // Kept for the next flush rather than lost (a database blip must not drop counts).
        this.logger.error({ err: error, tenantId }, 'could not write counters; retrying with the next flush');
        for (const row of tenantRows) this.sum(row);
      }
    }
    if (written.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(written);
      } catch (error) {
        this.logger.warn({ err: error }, 'a counter flush listener failed');
      }
    }
  }
}

function rowKey(table: string, key: Record<string, string>): string {
  return `${table}\u0000${Object.values(key).join('\u0000')}`;
}

function cloneArrays(arrays: Record<string, number[]>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(arrays).map(([column, values]) => [column, [...values]]));
}

/** One upsert: insert the sums as a new row, or add them to the stored one. */
async function upsert(tx: EntityManager, row: CounterRow): Promise<void> {
  const keyColumns = Object.keys(row.key);
  const addColumns = Object.keys(row.add);
  const arrayColumns = Object.keys(row.addArrays ?? {});
  const columns = [...keyColumns, ...addColumns, ...arrayColumns];
  const updates = [
    ...addColumns.map((c) => `${c} = r.${c} + excluded.${c}`),
    // Element-wise sum of two equally long arrays, in order.
    ...arrayColumns.map((c) => `${c} = (select array_agg(a + b order by i) from unnest(r.${c}, excluded.${c}) with ordinality as t(a, b, i))`),
  ];
  await tx.execute(
    `insert into ${row.table} as r (${columns.join(', ')})
     values (${[...keyColumns.map(() => '?'), ...addColumns.map(() => '?'), ...arrayColumns.map(() => '?::int[]')].join(', ')})
     on conflict (${keyColumns.join(', ')}) do ${updates.length ? `update set ${updates.join(', ')}` : 'nothing'}`,
    [
      ...keyColumns.map((c) => row.key[c]),
      ...addColumns.map((c) => row.add[c]),
      ...arrayColumns.map((c) => `{${row.addArrays![c]!.join(',')}}`),
    ],
  );
}
