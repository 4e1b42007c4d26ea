// Turns whatever went wrong into a stable error code and a friendly sentence.
// Raw server or network error text is never shown to visitors: it can leak
// internals and is rarely something a visitor can act on. The sentences live in the
// i18n catalogue, so they are shown in the visitor's language.

import { REPLY_INTERRUPTED } from './conversation-state.ts';
import { en, type MessageKey, type Messages } from './i18n/en.ts';

/** Codes the widget itself produces besides the server's `extensions.code`. */
export const NETWORK_ERROR = 'NETWORK_ERROR';
export const MISSING_EMBED_ID = 'MISSING_EMBED_ID';
export const UNKNOWN_ERROR = 'UNKNOWN_ERROR';

/** Where the error happened; decides the fallback wording. */
export type ErrorContext = 'start' | 'send' | 'reply' | 'connection';

/** The subset of urql's CombinedError (and of graphql-ws error payloads) we read. */
export interface ErrorLike {
  graphQLErrors?: ReadonlyArray<{ extensions?: Record<string, unknown> | undefined }>;
  networkError?: unknown;
}

function codeOfGraphQLError(error: { extensions?: Record<string, unknown> | undefined } | undefined): string | null {
  const code = error?.extensions?.['code'];
  return typeof code === 'string' && code !== '' ? code : null;
}

/**
 * The first `extensions.code` of the GraphQL errors, else NETWORK_ERROR when the
 * request never produced a GraphQL response, else UNKNOWN_ERROR.
 */
export function errorCodeOf(error: ErrorLike | ReadonlyArray<{ extensions?: Record<string, unknown> }> | null | undefined): string {
  if (!error) return UNKNOWN_ERROR;
  const graphQLErrors = Array.isArray(error) ? error : (error as ErrorLike).graphQLErrors ?? [];
  for (const graphQLError of graphQLErrors) {
    const code = codeOfGraphQLError(graphQLError);
    if (code) return code;
  }
  if (!Array.isArray(error) && (error as ErrorLike).networkError) return NETWORK_ERROR;
  return UNKNOWN_ERROR;
}

/** Codes that mean our stored conversation or token is no longer usable. */
export function isSessionExpired(code: string): boolean {
  return code === 'UNAUTHENTICATED' || code === 'NOT_FOUND';
}

const FALLBACK: Record<ErrorContext, MessageKey> = {
  start: 'errorStart',
  send: 'errorSend',
  reply: 'errorReply',
  connection: 'errorConnection',
};

/** The catalogue key of the sentence a visitor sees for `code` in `context` (i18n/en.ts has the English). */
export function errorMessageKey(code: string, context: ErrorContext): MessageKey {
  switch (code) {
    case MISSING_EMBED_ID:
      return 'errorMissingEmbedId';
    case 'NOT_FOUND':
      return context === 'start' ? 'errorBotNotFound' : 'errorConversationEnded';
    // An archived bot is simply not available; "not yet" would promise it comes back.
    case 'BOT_ARCHIVED':
      return 'errorBotNotFound';
    case 'BOT_NOT_PUBLISHED':
      return 'errorBotNotPublished';
    case 'ORIGIN_NOT_ALLOWED':
      return 'errorOriginNotAllowed';
    case 'QUOTA_EXCEEDED':
      return 'errorQuotaExceeded';
    case 'RATE_LIMITED':
    case 'TOO_MANY_REQUESTS':
      return 'errorRateLimited';
    case 'BAD_USER_INPUT':
      return context === 'send' ? 'errorBadMessage' : FALLBACK[context];
    case 'UNAUTHENTICATED':
      return 'errorSessionExpired';
    case NETWORK_ERROR:
      return 'errorNetwork';
    case REPLY_INTERRUPTED:
      return 'errorReplyInterrupted';
    default:
      return FALLBACK[context];
  }
}

/** The friendly sentence for `code` (none: the context's fallback), in the given catalogue (English unless told). */
export function friendlyError(code: string | null, context: ErrorContext, messages: Messages = en): string {
  return messages[errorMessageKey(code ?? '', context)];
}
