// How quoted knowledge is put together: the offline answerer (answerer/) and the server's curated
// answers quote and cite alike.

/** Longest citation snippet, in characters. */
const MAX_SNIPPET_CHARS = 240;

/**
 * Joins quoted lines: list lines and table rows often lack closing punctuation; "; " keeps them apart when
 * quoted one after the other ("Monday 9-17; Saturday 10-14").
 */
export function joinQuotes(texts: readonly string[]): string {
  return texts.reduce((joined, text) => (joined === '' ? text : `${joined}${/[.!?…:;]["'”’)\]]*$/.test(joined) ? ' ' : '; '}${text}`), '');
}

/** A citation's snippet: at most MAX_SNIPPET_CHARS, cut at a word where one is near. */
export function truncateSnippet(text: string): string {
  if (text.length <= MAX_SNIPPET_CHARS) return text;
  const cut = text.slice(0, MAX_SNIPPET_CHARS - 1);
  const wordEnd = cut.lastIndexOf(' ');
  const atWord = wordEnd > MAX_SNIPPET_CHARS / 2 ? cut.slice(0, wordEnd) : cut;
  return `${atWord.replace(/[\s,;:.\-–—]+$/, '')}…`;
}

/** A Markdown table row as one sentence, each cell labelled with its column's header ("Plan: Pro; Price: $29."). */
export function labelRow(cells: readonly string[], header: readonly string[]): string {
  const parts = cells.map((cell, i) => (header[i] && cell ? `${header[i]}: ${cell}` : cell)).filter((part) => part !== '');
  return `${parts.join('; ')}.`;
}
