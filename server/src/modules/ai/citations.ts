import type { ProviderPassage, ReplyCitation } from './ai-provider.ts';

const MARKER_GROUP = /\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]/g;
const SNIPPET_CHARS = 240;

function snippetOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= SNIPPET_CHARS) return flat;
  const cut = flat.slice(0, SNIPPET_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), SNIPPET_CHARS / 2))}…`;
}

/**
 * The sources a model's answer cites: every marker [n] (or [n, m]) that names one of the prompt's
 * passages, once each, in the order of first mention. Markers naming no passage are ignored.
 */
export function citationsFromText(text: string, passages: readonly ProviderPassage[]): ReplyCitation[] {
  const seen = new Set<number>();
  const citations: ReplyCitation[] = [];
  for (const group of text.matchAll(MARKER_GROUP)) {
    for (const part of group[1]!.split(',')) {
      const marker = Number(part.trim());
      const passage = passages[marker - 1];
      if (!passage || seen.has(marker)) continue;
      seen.add(marker);
      citations.push({
        marker,
        passageId: passage.id,
        documentTitle: passage.documentTitle,
        sectionPath: passage.sectionPath,
        page: passage.page,
        snippet: snippetOf(passage.text),
      });
    }
  }
  return citations;
}
