/**
 * What a visitor downloads, read from the widget's build output (widget/dist): the loader host
 * pages include, the chat app's initial files (what index.html loads, plus their static imports)
 * and the avatar's lazy chunks (everything the AvatarStage chunk pulls in that the initial load
 * does not have). Sizes are gzip -9, what a server with compression sends. Used by
 * widget-budgets.ts (prints them) and widget-budgets.test.ts (fails when a budget is exceeded).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const WIDGET_DIST = path.resolve(import.meta.dirname, '../widget/dist');

/**
 * Budgets in bytes, gzip. Why these numbers:
 *  - loader 6 KB: the figure; it runs on every page of every host site, open or not.
 *  - app 110 KB (initial JS + CSS): React 19 with react-dom alone is ~60 KB gzip, urql + graphql-ws
 *    + the GraphQL parser ~20 KB, Markdown ~5 KB, the chat itself ~20 KB; the budget leaves ~5%
 *    headroom so growth is a decision, not an accident. It loads only when the visitor opens the chat.
 *  - avatar 200 KB (lazy JS + CSS): three.js as the runtime uses it (WebGL renderer, GLTF loader,
 *    animation, meshopt decoder) is ~170 KB gzip; the stage and portrait ~15 KB. Fetched after the
 *    chat is usable, never on devices that get the 2D portrait. Models are separate (~60 KB gzip each).
 */
export const WIDGET_BUDGETS = { loader: 6 * 1024, app: 110 * 1024, avatar: 200 * 1024 } as const;
export type BudgetName = keyof typeof WIDGET_BUDGETS;

export interface BundleFile {
  /** Path under dist/, e.g. app/assets/index-abc.js. */
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface WidgetBundle {
  readonly loader: readonly BundleFile[];
  readonly app: readonly BundleFile[];
  readonly avatar: readonly BundleFile[];
  /** Lazy files that belong to neither (other lazily loaded features). */
  readonly otherLazy: readonly BundleFile[];
}

const gzipSize = (bytes: Buffer): number => gzipSync(bytes, { level: 9 }).length;

/** Whether `npm run build` has produced the widget. */
export function widgetIsBuilt(dist = WIDGET_DIST): boolean {
  return existsSync(path.join(dist, 'embed.js')) && existsSync(path.join(dist, 'app/index.html'));
}

// Vite writes `<script type="module" src="/widget/assets/x.js">` and `<link … href="/widget/assets/x.css">`.
const HTML_ASSET = /(?:src|href)="\/widget\/(assets\/[^"]+\.(?:js|css))"/g;
// Minified static imports: `import{a as b}from"./x.js"`, `import"./x.js"`, `export{…}from"./x.js"`.
// (The minifier may quote with ", ' or a backtick.)
const STATIC_IMPORT = /(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{},\s]*?from\s*)?["'`]\.\/([\w.-]+\.js)["'`]/g;
// Any other mention of a sibling asset: dynamic import(`./x.js`) and Vite's preload list "assets/x.css".
const ANY_ASSET_REFERENCE = /["'`](?:\.\/|assets\/)([\w.-]+\.(?:js|css))["'`]/g;

function matches(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((match) => match[1]!);
}

/** Files reachable from `roots` following `edges` (file name → referenced file names). */
function reachable(roots: Iterable<string>, edges: (name: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...edges(name));
  }
  return seen;
}

export function measureWidgetBundle(dist = WIDGET_DIST): WidgetBundle {
  const assetsDir = path.join(dist, 'app/assets');
  const assetNames = readdirSync(assetsDir).filter((name) => /\.(?:js|css)$/.test(name));
  const contents = new Map(assetNames.map((name) => [name, readFileSync(path.join(assetsDir, name))]));
  const text = (name: string) => contents.get(name)?.toString('utf8') ?? '';
  const describe = (name: string): BundleFile => {
    const bytes = contents.get(name)!;
    return { file: `app/assets/${name}`, bytes: bytes.length, gzipBytes: gzipSize(bytes) };
  };

  const html = readFileSync(path.join(dist, 'app/index.html'), 'utf8');
  const htmlAssets = matches(html, HTML_ASSET).map((asset) => path.basename(asset));
  const initial = reachable(htmlAssets, (name) => (name.endsWith('.js') ? matches(text(name), STATIC_IMPORT) : []));
  const lazyReferences = (name: string) => matches(text(name), ANY_ASSET_REFERENCE).filter((ref) => !initial.has(ref) && contents.has(ref));

  // The avatar: the AvatarStage chunk, its CSS (named after it, listed by the importer's preload
  // map) and whatever it loads in turn (the three-avatar chunk).
  const stageChunks = assetNames.filter((name) => /^AvatarStage-.*\.(?:js|css)$/.test(name));
  const avatar = reachable(stageChunks, lazyReferences);
  const otherLazy = assetNames.filter((name) => !initial.has(name) && !avatar.has(name));

  const loaderBytes = readFileSync(path.join(dist, 'embed.js'));
  return {
    loader: [{ file: 'embed.js', bytes: loaderBytes.length, gzipBytes: gzipSize(loaderBytes) }],
    app: [...initial].filter((name) => contents.has(name)).sort().map(describe),
    avatar: [...avatar].sort().map(describe),
    otherLazy: otherLazy.sort().map(describe),
  };
}

export const totalGzip = (files: readonly BundleFile[]): number => files.reduce((sum, file) => sum + file.gzipBytes, 0);

export interface BudgetCheck {
  readonly name: BudgetName;
  readonly gzipBytes: number;
  readonly budgetBytes: number;
  readonly ok: boolean;
}

export function checkBudgets(bundle: WidgetBundle): BudgetCheck[] {
  return (Object.keys(WIDGET_BUDGETS) as BudgetName[]).map((name) => {
    const gzipBytes = totalGzip(bundle[name]);
    return { name, gzipBytes, budgetBytes: WIDGET_BUDGETS[name], ok: gzipBytes <= WIDGET_BUDGETS[name] };
  });
}

export const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
