// Where the visitor dragged the avatar. The figure sits in its stage (the header's avatar slot)
// and may be dragged anywhere inside the surrounding area (the chat header). The spot is kept as
// fractions of the range the figure can travel (0 = left/top edge of the area, 1 = right/bottom),
// so it survives resizes (a rotated phone, a wider panel) and reloads; null is "where the layout
// puts it".

export interface StagePosition {
  readonly x: number;
  readonly y: number;
}

/** How far (CSS px) the figure can move from its place in the layout, per axis: min ≤ 0 ≤ max normally. */
export interface TravelRange {
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
}

export interface Offset {
  readonly x: number;
  readonly y: number;
}

interface Rect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

const STORAGE_KEY = 'mascot.avatar-position';
/** One arrow key press moves this share of the range; with Shift, four times as much. */
export const KEY_STEP = 0.05;

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
const clamp01 = (value: number): number => (Number.isFinite(value) ? clamp(value, 0, 1) : 0.5);
const share = (value: number, min: number, max: number): number => (max > min ? clamp01((value - min) / (max - min)) : 0.5);

/** The range a figure at `figure` (its place in the layout) can travel inside `area`. */
export function travelRange(area: Rect, figure: Rect): TravelRange {
  const minX = area.left - figure.left;
  const minY = area.top - figure.top;
  return {
    minX,
    maxX: Math.max(minX, minX + area.width - figure.width),
    minY,
    maxY: Math.max(minY, minY + area.height - figure.height),
  };
}

/** The figure's offset from its layout place for a remembered position (null: no offset). */
export function offsetFor(position: StagePosition | null, range: TravelRange): Offset {
  if (!position) return { x: clamp(0, range.minX, range.maxX), y: clamp(0, range.minY, range.maxY) };
  return { x: range.minX + clamp01(position.x) * (range.maxX - range.minX), y: range.minY + clamp01(position.y) * (range.maxY - range.minY) };
}

export function positionForOffset(offset: Offset, range: TravelRange): StagePosition {
  return { x: share(offset.x, range.minX, range.maxX), y: share(offset.y, range.minY, range.maxY) };
}

/** The position after a drag that started at `start` (the figure's offset then) and travelled `travel` px. */
export function positionAfterDrag(start: Offset, travel: Offset, range: TravelRange): StagePosition {
  return positionForOffset({ x: start.x + travel.x, y: start.y + travel.y }, range);
}

/** The position after an arrow key, or null for other keys. */
export function positionAfterKey(position: StagePosition, key: string, shift: boolean): StagePosition | null {
  const step = shift ? KEY_STEP * 4 : KEY_STEP;
  const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  const move = moves[key];
  return move ? { x: clamp01(position.x + move[0]), y: clamp01(position.y + move[1]) } : null;
}

/** Reads the remembered position; storage can be unavailable (blocked third-party storage). */
export function loadPosition(storage: Pick<Storage, 'getItem'> | null): StagePosition | null {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StagePosition>;
    if (typeof parsed.x !== 'number' || typeof parsed.y !== 'number') return null;
    return { x: clamp01(parsed.x), y: clamp01(parsed.y) };
  } catch {
    return null; // unreadable or corrupt: the layout's place
  }
}

export function savePosition(storage: Pick<Storage, 'setItem'> | null, position: StagePosition): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify({ x: clamp01(position.x), y: clamp01(position.y) }));
  } catch {
    // Storage full or blocked: the avatar just forgets its spot after a reload.
  }
}

/** localStorage, or null where merely touching it throws (sandboxed or storage-partitioned frames). */
export function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
