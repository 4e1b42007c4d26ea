/**
 * The public API's contract over time. Each release keeps its schema in schema/releases/v<major>.<minor>.graphql;
 * this script diffs consecutive releases and the last release against schema/schema.graphql with
 * @graphql-inspector/core and
 *
 *   npm run schema:changelog            writes schema/CHANGELOG.md (a test fails when it is stale)
 *   npm run schema:changelog -- --check exits 1 listing every breaking change that was not announced
 *
 * A breaking change is announced when what it removes or changes was deprecated in the release schema with
 * `@deprecated(reason: "… Removal: YYYY-MM-DD")` and that date has passed, or when the API's major version
 * (packages/sdk/package.json) is above the release's. The policy itself: README, "Versioning and deprecation".
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CriticalityLevel, DiffRule, diff, type Change } from '@graphql-inspector/core';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_FILE = path.join(REPO, 'schema/schema.graphql');
export const RELEASES_DIR = path.join(REPO, 'schema/releases');
export const CHANGELOG_FILE = path.join(REPO, 'schema/CHANGELOG.md');
const API_PACKAGE_FILE = path.join(REPO, 'packages/sdk/package.json');

export interface Release {
  /** "0.1" for schema/releases/v0.1.graphql. */
  version: string;
  major: number;
  sdl: string;
}

const RELEASE_FILE = /^v(\d+)\.(\d+)\.graphql$/;

/** The released schemas, oldest first. */
export async function readReleases(): Promise<Release[]> {
  const releases = await Promise.all(
    (await readdir(RELEASES_DIR)).flatMap((file) => {
      const match = RELEASE_FILE.exec(file);
      if (!match) return [];
      const [major, minor] = [Number(match[1]), Number(match[2])];
      return [readFile(path.join(RELEASES_DIR, file), 'utf8').then((sdl) => ({ version: `${major}.${minor}`, major, minor, sdl }))];
    }),
  );
  if (releases.length === 0) throw new Error(`No release schema (v<major>.<minor>.graphql) in ${RELEASES_DIR}.`);
  return releases.sort((a, b) => a.major - b.major || a.minor - b.minor).map(({ version, major, sdl }) => ({ version, major, sdl }));
}

/** The major version of the API as it stands: the SDK's version, which moves with the schema. */
export async function currentMajor(): Promise<number> {
  const { version } = JSON.parse(await readFile(API_PACKAGE_FILE, 'utf8')) as { version: string };
  return Number(version.split('.')[0]);
}

/** What changed from one schema to the next, in a stable order. Description edits are documentation, not contract. */
export async function schemaChanges(from: GraphQLSchema, to: GraphQLSchema): Promise<Change[]> {
  const changes = await diff(from, to, [DiffRule.ignoreDescriptionChanges]);
  // Code-unit order, not localeCompare: the file must come out the same on every machine.
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return changes.sort((a, b) => byText(a.path ?? '', b.path ?? '') || byText(a.message, b.message));
}

const REMOVAL_DATE = /Removal: (\d{4}-\d{2}-\d{2})/;

/** The removal date of a deprecated schema element at `path` (Type.field, Type.field.argument, Enum.VALUE, Input.field). */
function removalDate(schema: GraphQLSchema, elementPath: string): string | undefined {
  const [typeName, member, argument] = elementPath.split('.');
  const type = typeName ? schema.getType(typeName) : undefined;
  if (!type || !member) return undefined;
  let reason: string | null | undefined;
  if (isObjectType(type) || isInterfaceType(type)) {
    const field = type.getFields()[member];
    reason = argument ? field?.args.find((a) => a.name === argument)?.deprecationReason : field?.deprecationReason;
  } else if (isInputObjectType(type)) {
    reason = type.getFields()[member]?.deprecationReason;
  } else if (isEnumType(type)) {
    reason = type.getValue(member)?.deprecationReason;
  }
  return reason ? REMOVAL_DATE.exec(reason)?.[1] : undefined;
}

/**
 * Whether the release announced the removal of `elementPath` for a date on or before `today`: the element
 * itself, or the field it belongs to (an argument of a field due for removal may go with it).
 */
function removalDue(release: GraphQLSchema, elementPath: string, today: string): boolean {
  const segments = elementPath.split('.');
  for (let length = segments.length; length >= 2; length--) {
    const date = removalDate(release, segments.slice(0, length).join('.'));
    if (date && date <= today) return true;
  }
  return false;
}

/**
 * A removed type is announced when every field, argument and input field of the release that used it was
 * due for removal: types cannot be deprecated themselves, they go with the fields that return them.
 */
function typeRemovalDue(release: GraphQLSchema, typeName: string, today: string): boolean {
  const uses: string[] = [];
  for (const type of Object.values(release.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))) continue;
    const fields: { name: string; type: GraphQLType; args?: readonly { name: string; type: GraphQLType }[] }[] = Object.values(type.getFields());
    for (const field of fields) {
      if (getNamedType(field.type).name === typeName) uses.push(`${type.name}.${field.name}`);
      for (const arg of field.args ?? []) {
        if (getNamedType(arg.type).name === typeName) uses.push(`${type.name}.${field.name}.${arg.name}`);
      }
    }
  }
  return uses.length > 0 && uses.every((use) => removalDue(release, use, today));
}

export interface BreakingCheck {
  release: Release;
  currentMajor: number;
  /** YYYY-MM-DD (UTC). */
  today: string;
}

/** The breaking changes from the release schema to `current` that its deprecations and the version did not announce. */
export async function unannouncedBreakingChanges(current: GraphQLSchema, check: BreakingCheck): Promise<Change[]> {
  if (check.currentMajor > check.release.major) return [];
  const release = buildSchema(check.release.sdl);
  const changes = await schemaChanges(release, current);
  return changes.filter((change) => {
    if (change.criticality.level !== CriticalityLevel.Breaking) return false;
    if (!change.path) return true;
    if (change.type === 'TYPE_REMOVED') return !typeRemovalDue(release, change.path, check.today);
    return !removalDue(release, change.path, check.today);
  });
}

const SECTIONS: [CriticalityLevel, string][] = [
  [CriticalityLevel.Breaking, 'Breaking'],
  [CriticalityLevel.Dangerous, 'Dangerous (may change what existing clients see)'],
  [CriticalityLevel.NonBreaking, 'Added and other safe changes'],
];

function renderSection(title: string, changes: Change[]): string {
  const groups = SECTIONS.flatMap(([level, heading]) => {
    const items = changes.filter((c) => c.criticality.level === level);
    return items.length ? [`### ${heading}\n\n${items.map((c) => `- ${c.message}`).join('\n')}\n`] : [];
  });
  return `## ${title}\n\n${groups.length ? groups.join('\n') : 'No changes.\n'}`;
}

/** schema/CHANGELOG.md: the unreleased changes first, then each release against the one before it. */
export async function renderChangelog(releases: Release[], currentSdl: string): Promise<string> {
  const schemas = releases.map((r) => buildSchema(r.sdl));
  const last = releases.at(-1)!;
  const sections = [renderSection(`Unreleased (since v${last.version})`, await schemaChanges(schemas.at(-1)!, buildSchema(currentSdl)))];
  for (let i = releases.length - 1; i >= 1; i--) {
    sections.push(renderSection(`v${releases[i]!.version} (since v${releases[i - 1]!.version})`, await schemaChanges(schemas[i - 1]!, schemas[i]!)));
  }
  sections.push(`## v${releases[0]!.version}\n\nThe first release: schema/releases/v${releases[0]!.version}.graphql.\n`);
  return [
    '# Schema changelog\n',
    '<!-- Generated by scripts/schema-changelog.ts (`npm run schema:changelog`) from schema/releases/ and schema/schema.graphql: do not edit. -->\n',
    'Changes to the public GraphQL API. The versioning and deprecation policy: README, "Versioning and deprecation".\n',
    ...sections,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [releases, currentSdl] = await Promise.all([readReleases(), readFile(SCHEMA_FILE, 'utf8')]);
  if (process.argv.includes('--check')) {
    const release = releases.at(-1)!;
    const today = new Date().toISOString().slice(0, 10);
    const unannounced = await unannouncedBreakingChanges(buildSchema(currentSdl), { release, currentMajor: await currentMajor(), today });
    for (const change of unannounced) console.error(`unannounced breaking change since v${release.version}: ${change.message}`);
    process.exitCode = unannounced.length ? 1 : 0;
  } else {
    await writeFile(CHANGELOG_FILE, await renderChangelog(releases, currentSdl));
    console.log(`wrote ${path.relative(process.cwd(), CHANGELOG_FILE)}`);
  }
}
