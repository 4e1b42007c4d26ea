import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/index.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

const ID = '0b6f1c9e-2f4a-4c1e-9a63-5d2f0e7b8a11';
const encoded = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('page cursors', () => {
  it('read back exactly what they encode', () => {
    const position = { createdAt: new Date('2026-12-07T11:30:33.123Z'), id: ID };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('refuse anything else with BAD_USER_INPUT on `after`, before any of it reaches SQL', () => {
    for (const forged of [
      encoded(['2026-01-01T00:00:00.000Z', 'not-a-uuid']),
      encoded(['-271821-04-20T00:00:00.000Z', ID]),
      encoded(['+275760-09-13T00:00:00.000Z', ID]),
      encoded(['2026-02-31T00:00:00.000Z', ID]),
      encoded(['2026-01-01', ID]),
      encoded([0, ID]),
      encoded(['2026-01-01T00:00:00.000Z', ID, 'extra']),
      encoded({ createdAt: '2026-01-01T00:00:00.000Z', id: ID }),
      encoded('null'),
      encoded('not json'),
      `${encodeCursor({ createdAt: new Date(0), id: ID })}=`,
      'x'.repeat(200),
      '',
    ]) {
      let error: unknown;
      try {
        decodeCursor(forged);
      } catch (caught) {
        error = caught;
      }
      expect(error, forged).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('BAD_USER_INPUT');
      expect((error as DomainError).details.fieldErrors).toEqual([{ field: 'after', message: 'is not a cursor from this API' }]);
    }
  });
});
