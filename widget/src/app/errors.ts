// Turns whatever went wrong into a stable error code and a friendly sentence.
// Raw server or network error text is never shown to visitors: it can leak
// internals and is rarely something a visitor can act on.

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

const FALLBACK: Record<ErrorContext, string> = {
  start: 'The chat could not be started. Please try again.',
  send: 'Your message could not be sent. Please try again.',
  reply: 'Sorry, I could not finish that reply. Please try again.',
  connection: 'The connection to the chat was lost.',
};

export function friendlyError(code: string, context: ErrorContext): string {
  switch (code) {
    case MISSING_EMBED_ID:
      return 'This chat is not set up correctly on this site.';
    case 'NOT_FOUND':
      return context === 'start'
        ? 'This chat is not available.'
        : 'This conversation has ended. Please start a new one.';
    case 'BOT_NOT_PUBLISHED':
      return 'This assistant is not available yet. Please check back soon.';
    case 'QUOTA_EXCEEDED':
      return 'The assistant is very busy right now. Please try again later.';
    case 'RATE_LIMITED':
    case 'TOO_MANY_REQUESTS':
      return 'You are sending messages a little fast. Please wait a moment and try again.';
    case 'BAD_USER_INPUT':
      return context === 'send'
        ? 'That message could not be sent. Please shorten or rephrase it.'
        : FALLBACK[context];
    case 'UNAUTHENTICATED':
      return 'Your chat session has expired. Please start a new conversation.';
    case NETWORK_ERROR:
      return 'Cannot reach the chat right now. Please check your connection and try again.';
    default:
      return FALLBACK[context];
  }
}
