// Saves the transcript as a file from inside the chat's iframe (no sandbox, so downloads are allowed).

import { gql } from '@urql/core';
import type { ApiMessage } from './api-types.ts';
import type { SessionQuery } from './graphql-client.ts';
import type { I18n } from './i18n/use-i18n.ts';
import { MESSAGE_FIELDS } from './message-fields.ts';
import { transcriptFileName, transcriptHtml, transcriptText, type TranscriptOptions } from './transcript-format.ts';

export const CONVERSATION_TRANSCRIPT = gql<{ conversationTranscript: ApiMessage[] }, { conversationId: string }>`
  query ConversationTranscript($conversationId: ID!) {
    conversationTranscript(conversationId: $conversationId) {
      ${MESSAGE_FIELDS}
    }
  }
`;

/** Hands `content` to the browser as a download named `name`. */
export function saveFile(name: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by now; the object URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Fetches the stored conversation and downloads it as text or as a printable page; false when it could not. */
export async function downloadTranscript(
  query: SessionQuery,
  format: 'txt' | 'html',
  botName: string,
  { t, locale }: I18n,
  now = new Date(),
): Promise<boolean> {
  const result = await query(CONVERSATION_TRANSCRIPT, {});
  if (!result.ok) return false;
  const options: TranscriptOptions = {
    botName,
    locale,
    labels: {
      title: t('transcriptTitle', { name: botName }),
      downloaded: t('transcriptDownloaded', { date: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(now) }),
      you: t('transcriptYou'),
      sources: t('sources'),
      agent: (name) => t('transcriptAgent', { name }),
      page: (page) => t('sourcePage', { page }),
      printHint: t('transcriptPrintHint'),
    },
  };
  const name = transcriptFileName(botName, now, format);
  if (format === 'txt') saveFile(name, 'text/plain;charset=utf-8', transcriptText(result.data.conversationTranscript, options));
  else saveFile(name, 'text/html;charset=utf-8', transcriptHtml(result.data.conversationTranscript, options));
  return true;
}
