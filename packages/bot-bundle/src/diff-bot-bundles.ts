import type { BotBundle } from './bot-bundle.ts';

export type BundleChangeKind = 'added' | 'removed' | 'changed';

/**
 * One difference between two bundles. `before` is set for `removed` and `changed`, `after` for
 * `added` and `changed`; they are the bundles' own values, not copies.
 */
export interface BundleChange {
  path: string;
  kind: BundleChangeKind;
  before?: unknown;
  after?: unknown;
}

// A path is kept as segments until the end so it sorts by structure, not by characters:
// providers.2 before providers.10, personality before personality.tone.
type Segment =
  | { type: 'key'; name: string } // object field: ".name"
  | { type: 'index'; index: number } // list position: ".1"
  | { type: 'entry'; label: string }; // list entry by identity (set value or id): "[label]"

interface PendingChange {
  segments: Segment[];
  change: Omit<BundleChange, 'path'>;
}

/** Lists whose entries are records identified by a field rather than by position. */
const KEYED_LISTS: Readonly<Record<string, string>> = { variants: 'id' };

type Primitive = string | number | boolean | null;

const isPrimitive = (value: unknown): value is Primitive => value === null || typeof value !== 'object';
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isDeepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => isDeepEqual(item, b[i]));
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => isDeepEqual(a[key], b[key]));
}

function render(segments: readonly Segment[]): string {
  return segments
    .map((segment, i) => {
      if (segment.type === 'entry') return `[${segment.label}]`;
      const text = segment.type === 'key' ? segment.name : String(segment.index);
      return i === 0 ? text : `.${text}`;
    })
    .join('');
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareSegment(a: Segment, b: Segment): number {
  if (a.type === 'index' && b.type === 'index') return a.index - b.index;
  if (a.type === 'key' && b.type === 'key') return compareText(a.name, b.name);
  if (a.type === 'entry' && b.type === 'entry') return compareText(a.label, b.label);
  return compareText(a.type, b.type);
}

function comparePaths(a: readonly Segment[], b: readonly Segment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareSegment(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function diffValues(before: unknown, after: unknown, at: Segment[], out: PendingChange[]): void {
  if (isDeepEqual(before, after)) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    const idField = KEYED_LISTS[render(at)];
    if (idField) return diffKeyedList(before, after, idField, at, out);
    if (before.every(isPrimitive) && after.every(isPrimitive)) return diffSet(before, after, at, out);
    return diffIndexedList(before, after, at, out);
  }
  if (isRecord(before) && isRecord(after)) return diffRecords(before, after, at, out);
  out.push({ segments: at, change: { kind: 'changed', before, after } });
}

function diffRecords(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  at: Segment[],
  out: PendingChange[],
): void {
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const segments: Segment[] = [...at, { type: 'key', name }];
    // An optional field set to undefined is the same as one left out.
    if (before[name] === undefined && after[name] !== undefined) {
      out.push({ segments, change: { kind: 'added', after: after[name] } });
    } else if (before[name] !== undefined && after[name] === undefined) {
      out.push({ segments, change: { kind: 'removed', before: before[name] } });
    } else {
      diffValues(before[name], after[name], segments, out);
    }
  }
}

/** Order matters (a fallback chain): entry i of one side is compared with entry i of the other. */
function diffIndexedList(before: unknown[], after: unknown[], at: Segment[], out: PendingChange[]): void {
  for (let index = 0; index < Math.max(before.length, after.length); index++) {
    const segments: Segment[] = [...at, { type: 'index', index }];
    if (index >= before.length) out.push({ segments, change: { kind: 'added', after: after[index] } });
    else if (index >= after.length) out.push({ segments, change: { kind: 'removed', before: before[index] } });
    else diffValues(before[index], after[index], segments, out);
  }
}

/** Lists of plain values are sets: only entries that appear or disappear are changes, not order. */
function diffSet(before: Primitive[], after: Primitive[], at: Segment[], out: PendingChange[]): void {
  const entry = (value: Primitive): Segment[] => [...at, { type: 'entry', label: String(value) }];
  for (const value of new Set(before)) {
    if (!after.includes(value)) out.push({ segments: entry(value), change: { kind: 'removed', before: value } });
  }
  for (const value of new Set(after)) {
    if (!before.includes(value)) out.push({ segments: entry(value), change: { kind: 'added', after: value } });
  }
}

/** Records with an id are matched by id, so reordering them is not a change. */
function diffKeyedList(
  before: unknown[],
  after: unknown[],
  idField: string,
  at: Segment[],
  out: PendingChange[],
): void {
  const byId = (list: unknown[]) => new Map(list.filter(isRecord).map((item) => [String(item[idField]), item]));
  const [beforeById, afterById] = [byId(before), byId(after)];
  for (const id of new Set([...beforeById.keys(), ...afterById.keys()])) {
    const segments: Segment[] = [...at, { type: 'entry', label: id }];
    const [old, next] = [beforeById.get(id), afterById.get(id)];
    if (old === undefined) out.push({ segments, change: { kind: 'added', after: next } });
    else if (next === undefined) out.push({ segments, change: { kind: 'removed', before: old } });
    else diffValues(old, next, segments, out);
  }
}

/**
 * What changed from bundle `a` to bundle `b`, one entry per changed leaf, sorted by path.
 *
 * Paths: object fields are dotted (`personality.tone`); providers are compared by position
 * (`providers.1.model`) because their order is the fallback order; variants by id
 * (`variants[short-greeting].weight`) because their order means nothing; lists of plain values
 * (allowedOrigins, placement.include/exclude/devices) are sets whose entries are added or removed
 * by value (`allowedOrigins[https://shop.example.com]`). A field, list entry or variant present on
 * one side only is one `added` or `removed` change carrying the whole value, not one per leaf.
 */
export function diffBotBundles(a: BotBundle, b: BotBundle): BundleChange[] {
  const pending: PendingChange[] = [];
  diffValues(a, b, [], pending);
  return pending
    .sort((x, y) => comparePaths(x.segments, y.segments))
    .map(({ segments, change }) => ({ path: render(segments), ...change }));
}
