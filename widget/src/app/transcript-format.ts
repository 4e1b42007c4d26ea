// The visitor's transcript download (issue 14): the conversation as plain text, or as a printable
// HTML page that the browser's "Print → Save as PDF" turns into a PDF.
//
// Why no PDF library: a PDF that shows every script visitors write (Arabic, Hebrew, CJK, emoji) must
// embed fonts for them — megabytes — and lay out right-to-left text itself; small PDF libraries
// (jsPDF, pdf-lib) do neither without that weight, and the widget has a size budget. The browser
// already has the fonts and the bidi layout, so the printable page gives a correct PDF for free,
// and the text file is what support tickets and e-mails want anyway.
//
// Pure functions of their input (no DOM, no clock), so they are unit-tested directly.

import type { ApiMessage } from './api-types.ts';

export interface TranscriptLabels {
  /** "Conversation with {name}", filled. */
  title: string;
  /** "Downloaded {date}", filled. */
  downloaded: string;
  /** What the visitor's own messages are signed with ("You"). */
  you: string;
  /** "Sources" */
  sources: string;
  /** A team member's signature, such as "Ada (team)". */
  agent(name: string): string;
  /** Where in a paged source, such as "page 3". */
  page(page: number): string;
  /** The line a printable page shows on screen, telling how to get a PDF. */
  printHint: string;
}

export interface TranscriptOptions {
  botName: string;
  /** BCP-47 locale for dates and the page's `lang`. */
  locale: string;
  labels: TranscriptLabels;
  /** IANA time zone for the times shown; the visitor's own by default. */
  timeZone?: string;
}

export interface TranscriptEntry {
  author: string;
  role: ApiMessage['role'];
  time: string;
  text: string;
  /** "[1] Price list › Pricing (page 3)" */
  sources: string[];
}

/** The messages worth a transcript, each with its author and time as the visitor reads them. */
export function transcriptEntries(messages: readonly ApiMessage[], options: TranscriptOptions): TranscriptEntry[] {
  const time = new Intl.DateTimeFormat(options.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: options.timeZone });
  return messages
    .filter((m) => m.text.trim() !== '')
    .map((m) => ({
      author: m.role === 'VISITOR' ? options.labels.you : m.role === 'AGENT' ? options.labels.agent(m.authorName ?? '') : options.botName,
      role: m.role,
      time: time.format(new Date(m.createdAt)),
      text: m.text.trim(),
      sources: m.sources.map((s) => {
        const where = [s.documentTitle, ...s.sectionPath].join(' › ');
        return `[${s.marker}] ${where}${s.page !== null ? ` (${options.labels.page(s.page)})` : ''}`;
      }),
    }));
}

/** The transcript as UTF-8 text: a heading, then each message with its author and time. */
export function transcriptText(messages: readonly ApiMessage[], options: TranscriptOptions): string {
  const lines = [options.labels.title, options.labels.downloaded, ''];
  for (const entry of transcriptEntries(messages, options)) {
    lines.push(`[${entry.time}] ${entry.author}:`, entry.text);
    if (entry.sources.length > 0) lines.push(`${options.labels.sources}:`, ...entry.sources.map((s) => `  ${s}`));
    lines.push('');
  }
  return lines.join('\n');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Everything a visitor, the bot or an agent wrote is text, never markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * A self-contained page to print or save as PDF: no script, no external resource, and a Content
 * Security Policy that would refuse both even if some markup slipped through. Each message keeps its
 * own direction (`dir="auto"`), so Arabic and Hebrew read right to left among English ones.
 */
export function transcriptHtml(messages: readonly ApiMessage[], options: TranscriptOptions): string {
  const items = transcriptEntries(messages, options)
    .map((entry) => {
      const sources = entry.sources.length
        ? `<p class="sources">${escapeHtml(options.labels.sources)}: ${entry.sources.map(escapeHtml).join(' · ')}</p>`
        : '';
      return `<article class="message ${entry.role.toLowerCase()}">
  <header><strong>${escapeHtml(entry.author)}</strong> <time>${escapeHtml(entry.time)}</time></header>
  <p dir="auto">${escapeHtml(entry.text)}</p>${sources}
</article>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(options.locale)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.labels.title)}</title>
<style>
  body { font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #111; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; }
  h1 { font-size: 1.3rem; margin: 0 0 0.25rem; }
  .meta, time, .sources { color: #555; font-size: 0.85rem; }
  .hint { background: #f3f4f6; padding: 0.5rem 0.75rem; border-radius: 6px; font-size: 0.85rem; }
  .message { border-left: 3px solid #d1d5db; padding: 0.25rem 0 0.25rem 0.75rem; margin: 1rem 0; break-inside: avoid; }
  .message.visitor { border-color: #6366f1; }
  .message.agent { border-color: #059669; }
  .message p { margin: 0.25rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  @media print { .hint { display: none; } body { margin: 0; max-width: none; } }
</style>
</head>
<body>
<h1>${escapeHtml(options.labels.title)}</h1>
<p class="meta">${escapeHtml(options.labels.downloaded)}</p>
<p class="hint">${escapeHtml(options.labels.printHint)}</p>
${items}
</body>
</html>
`;
}

/** A file name from the bot's name and the day, safe on every system: "transcript-pip-2026-12-07.txt". */
export function transcriptFileName(botName: string, day: Date, extension: 'txt' | 'html'): string {
  const slug = botName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase().slice(0, 40) || 'chat';
  return `transcript-${slug}-${day.toISOString().slice(0, 10)}.${extension}`;
}
