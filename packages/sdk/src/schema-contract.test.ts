import { readFile } from 'node:fs/promises';
import { buildASTSchema, buildSchema, parse, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  CHANGELOG_FILE,
  SCHEMA_FILE,
  currentMajor,
  readReleases,
  renderChangelog,
  unannouncedBreakingChanges,
  type Release,
} from '../../../scripts/schema-changelog.ts';

// The API contract the SDK is built on (scripts/schema-changelog.ts): changes since the last release are
// listed in schema/CHANGELOG.md, and none breaks clients unless it was announced.

const today = new Date().toISOString().slice(0, 10);

async function lastRelease(): Promise<Release> {
  return (await readReleases()).at(-1)!;
}

function withoutField(sdl: string, typeName: string, fieldName: string) {
  return buildASTSchema(
    visit(parse(sdl), {
      ObjectTypeDefinition: (node) =>
        node.name.value === typeName ? { ...node, fields: node.fields?.filter((f) => f.name.value !== fieldName) } : undefined,
    }),
  );
}

const release = (sdl: string, major = 0): Release => ({ version: `${major}.1`, major, sdl });

describe('the public schema contract', () => {
  it('has schema/CHANGELOG.md up to date (run `npm run schema:changelog` when this fails)', async () => {
    const [committed, releases, current] = await Promise.all([readFile(CHANGELOG_FILE, 'utf8'), readReleases(), readFile(SCHEMA_FILE, 'utf8')]);
    expect(committed).toBe(await renderChangelog(releases, current));
  });

  it('makes no breaking change since the last release that was not announced', async () => {
    const current = buildSchema(await readFile(SCHEMA_FILE, 'utf8'));
    const unannounced = await unannouncedBreakingChanges(current, { release: await lastRelease(), currentMajor: await currentMajor(), today });
    // Deprecate first (`Removal: YYYY-MM-DD`), remove after that date, or bump the major version: README, "Versioning and deprecation".
    expect(unannounced.map((c) => c.message)).toEqual([]);
  });

  it('fails on a field removed from the current schema without notice', async () => {
    const last = await lastRelease();
    const current = withoutField(await readFile(SCHEMA_FILE, 'utf8'), 'Query', 'bots');
    const unannounced = await unannouncedBreakingChanges(current, { release: last, currentMajor: last.major, today });
    expect(unannounced.map((c) => [c.type, c.path])).toEqual([['FIELD_REMOVED', 'Query.bots']]);
  });

  it('accepts a removal announced with a date that has passed, and only then', async () => {
    const announced = (date: string) =>
      release(`type Query { bots(first: Int): [Bot!]! @deprecated(reason: "Use botsPage. Removal: ${date}") botsPage: [Bot!]! }
        type Bot { id: ID! }`);
    const current = buildSchema('type Query { botsPage: [Bot!]! } type Bot { id: ID! }');
    expect(await unannouncedBreakingChanges(current, { release: announced('2026-03-01'), currentMajor: 0, today: '2026-03-01' })).toEqual([]);
    const early = await unannouncedBreakingChanges(current, { release: announced('2026-03-02'), currentMajor: 0, today: '2026-03-01' });
    expect(early.map((c) => c.path)).toEqual(['Query.bots']);
  });

  it('accepts a deprecated field removed with the type only it returned, an enum value and an argument', async () => {
    const previous = (deprecated: (reason: string) => string) =>
      release(`
        type Query {
          legacy: Legacy ${deprecated('Use bots. Removal: 2026-01-31')}
          bots(tone: Tone, page: Int ${deprecated('Use first. Removal: 2026-01-31')}, first: Int): [ID!]!
        }
        type Legacy { id: ID! }
        enum Tone { FRIENDLY JOKEY ${deprecated('Removal: 2026-01-31')} }`);
    const current = buildSchema('type Query { bots(tone: Tone, first: Int): [ID!]! } enum Tone { FRIENDLY }');
    const check = { currentMajor: 0, today: '2026-02-01' };
    const announced = previous((reason) => `@deprecated(reason: "${reason}")`);
    expect(await unannouncedBreakingChanges(current, { release: announced, ...check })).toEqual([]);
    const unannounced = await unannouncedBreakingChanges(current, { release: previous(() => ''), ...check });
    expect(unannounced.map((c) => c.path)).toEqual(['Legacy', 'Query.bots.page', 'Query.legacy', 'Tone.JOKEY']);
  });

  it('accepts any breaking change in a new major version', async () => {
    const current = buildSchema('type Query { botsPage: [ID!]! }');
    const previous = release('type Query { bots: [ID!]! }', 1);
    expect(await unannouncedBreakingChanges(current, { release: previous, currentMajor: 2, today })).toEqual([]);
    expect(await unannouncedBreakingChanges(current, { release: previous, currentMajor: 1, today })).toHaveLength(1);
  });
});
