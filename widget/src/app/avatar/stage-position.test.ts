import { describe, expect, it } from 'vitest';
import { KEY_STEP, loadPosition, offsetFor, positionAfterDrag, positionAfterKey, savePosition, travelRange } from './stage-position.ts';

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

// A 380×88 header; the 64×64 figure sits at (16, 12) inside it.
const header = { left: 0, top: 0, width: 380, height: 88 };
const figure = { left: 16, top: 12, width: 64, height: 64 };
const range = travelRange(header, figure);

describe('stage position', () => {
  it('lets the figure travel anywhere inside the area and no further', () => {
    expect(range).toEqual({ minX: -16, maxX: 300, minY: -12, maxY: 12 });
    expect(offsetFor(null, range)).toEqual({ x: 0, y: 0 });
    expect(offsetFor({ x: 1, y: 1 }, range)).toEqual({ x: 300, y: 12 });
    expect(offsetFor({ x: 0, y: 0 }, range)).toEqual({ x: -16, y: -12 });
  });

  it('turns pointer travel into a position, clamped to the area', () => {
    const moved = positionAfterDrag({ x: 0, y: 0 }, { x: 142, y: 0 }, range);
    expect(offsetFor(moved, range)).toEqual({ x: 142, y: 0 });
    expect(positionAfterDrag({ x: 0, y: 0 }, { x: 5_000, y: -5_000 }, range)).toEqual({ x: 1, y: 0 });
  });

  it('keeps the spot in proportion when the area is resized', () => {
    const right = positionAfterDrag({ x: 0, y: 0 }, { x: 300, y: 0 }, range);
    const wider = travelRange({ ...header, width: 760 }, figure);
    expect(offsetFor(right, wider).x).toBe(wider.maxX);
  });

  it('moves by arrow keys, further with Shift, and stays inside', () => {
    expect(positionAfterKey({ x: 0.5, y: 0.5 }, 'ArrowLeft', false)).toEqual({ x: 0.5 - KEY_STEP, y: 0.5 });
    expect(positionAfterKey({ x: 0.5, y: 0.5 }, 'ArrowDown', true)).toEqual({ x: 0.5, y: 0.5 + KEY_STEP * 4 });
    expect(positionAfterKey({ x: 1, y: 0 }, 'ArrowRight', false)).toEqual({ x: 1, y: 0 });
    expect(positionAfterKey({ x: 0.5, y: 0.5 }, 'Enter', false)).toBeNull();
  });

  it('remembers the spot and survives corrupt or unavailable storage', () => {
    const storage = memoryStorage();
    expect(loadPosition(storage)).toBeNull();
    savePosition(storage, { x: 0.2, y: 0.7 });
    expect(loadPosition(storage)).toEqual({ x: 0.2, y: 0.7 });
    storage.items.set('mascot.avatar-position', '{not json');
    expect(loadPosition(storage)).toBeNull();
    storage.items.set('mascot.avatar-position', JSON.stringify({ x: 7, y: -1 }));
    expect(loadPosition(storage)).toEqual({ x: 1, y: 0 });
    expect(loadPosition(null)).toBeNull();
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadPosition(throwing)).toBeNull();
    expect(() => savePosition(throwing, { x: 0, y: 0 })).not.toThrow();
  });
});
