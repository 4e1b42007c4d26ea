// Pure rules behind what the closed widget does to be noticed (embed.ts draws them): the teaser
// bubble, the unread badge and preview, the flashing page title. Kept apart from the DOM so they
// can be unit-tested, and small: everything here ships in the loader (≤ 6 KB gzip).

import { isPageIncluded } from '@mascot/bot-bundle/page-match';
import type { StorageLike } from './embed-helpers.ts';

/** The teaser as the loader config carries it (null: the bot has none). */
export interface TeaserConfig {
  text: string;
  delaySeconds: number;
  pages: { include: string[]; text: string }[];
}

/** The loader config's `engagement`, checked (old servers send none: no teaser, no sound). */
export interface Engagement {
  teaser: TeaserConfig | null;
  sound: boolean;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

export function parseEngagement(value: unknown): Engagement {
  const { teaser, sound } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, any>;
  let parsed: TeaserConfig | null = null;
  if (teaser && isText(teaser.text) && typeof teaser.delaySeconds === 'number' && teaser.delaySeconds >= 0) {
    const pages = Array.isArray(teaser.pages) ? teaser.pages : [];
    parsed = {
      text: teaser.text,
      delaySeconds: Math.min(teaser.delaySeconds, 600),
      pages: pages.filter((page: any) => isText(page?.text) && Array.isArray(page.include) && page.include.every(isText)),
    };
  }
  return { teaser: parsed, sound: sound === true };
}

/** The teaser text for `pageUrl`: the first per-page entry that matches, else the bot's teaser. */
export function teaserText(teaser: TeaserConfig, pageUrl: string): string {
  const page = teaser.pages.find((entry) => isPageIncluded({ include: entry.include, exclude: [] }, pageUrl));
  return page ? page.text : teaser.text;
}

/**
 * A message as a one-line preview: Markdown marks, citation markers and link targets removed,
 * whitespace collapsed, cut at `max` characters (on a word when one ends near) with an ellipsis.
 */
export function previewText(markdown: string, max = 120): string {
  const plain = markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[\d+(?:\s*,\s*\d+)*\]/g, '')
    .replace(/^\s{0,3}(?:#{1,6}\s|>\s?|[-*+]\s|\d+[.)]\s)/gm, '')
    .replace(/[*_`~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** What the launcher remembers between page views: unread messages and the last one's preview. */
export interface Unread {
  count: number;
  author: string;
  text: string;
}

export const unreadKey = (embedId: string): string => `mascot:unread:${embedId}`;
export const teaserKey = (embedId: string): string => `mascot:teaser:${embedId}`;
export const activityKey = (embedId: string): string => `mascot:active:${embedId}`;

/** How long after the last message a later page keeps the chat connected in the background. */
export const STAY_CONNECTED_MS = 60 * 60 * 1000;

/** Storage may be blocked (privacy settings): reads give null, writes are dropped. */
export function readStored(storage: () => StorageLike, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return null;
  }
}

export function writeStored(storage: () => StorageLike, key: string, value: string | null): void {
  try {
    const store = storage();
    if (value === null) (store as StorageLike & { removeItem(key: string): void }).removeItem(key);
    else store.setItem(key, value);
  } catch {
    // Blocked storage: the state lives as long as the page.
  }
}

export function parseUnread(stored: string | null): Unread | null {
  if (!stored) return null;
  try {
    const { count, author, text } = JSON.parse(stored) as Record<string, unknown>;
    if (typeof count !== 'number' || !(count > 0) || typeof author !== 'string' || typeof text !== 'string') return null;
    return { count: Math.min(Math.floor(count), 99), author, text };
  } catch {
    return null;
  }
}

/** One more message while the panel is closed. */
export function addUnread(unread: Unread | null, author: string, text: string): Unread {
  return { count: Math.min((unread?.count ?? 0) + 1, 99), author, text: previewText(text) };
}

/** The page title while the tab is hidden and messages came in: "(2) Grace: Hi, how can I…". */
export function flashTitle(count: number, author: string, text: string): string {
  const line = previewText(text, 60);
  return `(${count}) ${author ? `${author}: ` : ''}${line}`;
}
