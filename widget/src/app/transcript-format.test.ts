import { describe, expect, it } from 'vitest';
import type { ApiMessage } from './api-types.ts';
import { escapeHtml, transcriptFileName, transcriptHtml, transcriptText, type TranscriptOptions } from './transcript-format.ts';

const message = (id: string, role: ApiMessage['role'], text: string, createdAt: string, extra: Partial<ApiMessage> = {}): ApiMessage => ({
  id, role, text, createdAt, sources: [], authorName: null, ...extra,
});

const MESSAGES: ApiMessage[] = [
  message('1', 'VISITOR', 'How much is the Pro plan?', '2026-12-07T14:01:05Z'),
  message('2', 'ASSISTANT', 'The Pro plan costs **29 dollars** per month [1].', '2026-12-07T14:01:09Z', {
    sources: [{ marker: 1, documentTitle: 'Price list', sectionPath: ['Plans', 'Pricing'], page: 3, snippet: '…' }],
  }),
  message('3', 'ASSISTANT', '', '2026-12-07T14:01:10Z'),
  message('4', 'AGENT', 'Hi, Ada here. <b>Anything</b> else?', '2026-12-07T14:03:00Z', { authorName: 'Ada' }),
  message('5', 'VISITOR', 'كم سعر الخطة؟', '2026-12-08T09:00:00Z'),
];

const OPTIONS: TranscriptOptions = {
  botName: 'Pip',
  locale: 'en-GB',
  timeZone: 'UTC',
  labels: {
    title: 'Conversation with Pip',
    downloaded: 'Downloaded 8 Dec 2026',
    you: 'You',
    sources: 'Sources',
    agent: (name) => `${name} (team)`,
    page: (page) => `page ${page}`,
    printHint: 'Use Print to save as PDF.',
  },
};

describe('the transcript as text', () => {
  it('lists every message with its author, time and sources, in order, skipping empty ones', () => {
    expect(transcriptText(MESSAGES, OPTIONS)).toBe(
      [
        'Conversation with Pip',
        'Downloaded 8 Dec 2026',
        '',
        '[7 Dec 2026, 14:01] You:',
        'How much is the Pro plan?',
        '',
        '[7 Dec 2026, 14:01] Pip:',
        'The Pro plan costs **29 dollars** per month [1].',
        'Sources:',
        '  [1] Price list › Plans › Pricing (page 3)',
        '',
        '[7 Dec 2026, 14:03] Ada (team):',
        'Hi, Ada here. <b>Anything</b> else?',
        '',
        '[8 Dec 2026, 09:00] You:',
        'كم سعر الخطة؟',
        '',
      ].join('\n'),
    );
  });

  it('writes times in the given locale and time zone', () => {
    const text = transcriptText([MESSAGES[0]!], { ...OPTIONS, locale: 'de-DE', timeZone: 'Europe/Berlin' });
    expect(text).toContain('[07.12.2026, 15:01] You:');
  });
});

describe('the printable transcript', () => {
  it('is an inert, self-contained page: text escaped, no script, a CSP that forbids any', () => {
    const html = transcriptHtml(MESSAGES, OPTIONS);
    expect(html).toContain('Hi, Ada here. &lt;b&gt;Anything&lt;/b&gt; else?');
    expect(html).not.toMatch(/<script|<b>/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).toContain('<html lang="en-GB">');
    // Each message finds its own direction, so Arabic reads right to left.
    expect(html).toContain('<p dir="auto">كم سعر الخطة؟</p>');
    expect(html.match(/<article /g)).toHaveLength(4);
    expect(html).toContain('@media print');
  });

  it('escapes every character that could open markup or an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('transcript file names', () => {
  it('are safe on every system', () => {
    const day = new Date('2026-12-07T23:00:00Z');
    expect(transcriptFileName('Pïp the Helper!', day, 'txt')).toBe('transcript-pip-the-helper-2026-12-07.txt');
    expect(transcriptFileName('../../etc', day, 'html')).toBe('transcript-etc-2026-12-07.html');
    expect(transcriptFileName('مساعد', day, 'txt')).toBe('transcript-chat-2026-12-07.txt');
  });
});
