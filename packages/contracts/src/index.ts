export { ErrorCode, errorCodeMessages, isErrorCode } from './error-codes.ts';

/** The longest visitor message the server stores (after trimming), in UTF-16 code units; the widget's composer counts against it. */
export const MAX_VISITOR_MESSAGE_LENGTH = 4000;
