export { ErrorCode, errorCodeMessages, isErrorCode } from './error-codes.ts';
