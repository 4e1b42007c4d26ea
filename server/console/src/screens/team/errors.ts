import type { CombinedError } from 'urql';

/** The message a member should read for a failed operation: the API's typed error, else the transport's. */
export const errorText = (error: CombinedError | undefined) => error?.graphQLErrors[0]?.message ?? error?.message ?? 'Something went wrong.';
export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toISOString().slice(0, 16).replace('T', ' ') : '—');
