import { ErrorCode, errorCodeMessages } from '@mascot/contracts';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * What services throw when a request cannot be served as asked. The GraphQL error formatter
 * maps it once to `extensions.code`; anything that is not a DomainError is masked.
 */
export class DomainError extends Error {
  override name = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string = errorCodeMessages[code],
    readonly details: { fieldErrors?: FieldError[]; [key: string]: unknown } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static notFound(entity: string): DomainError {
    // Same answer whether the row is missing or belongs to another tenant: no existence oracle.
    return new DomainError(ErrorCode.NOT_FOUND, `${entity} not found.`, { entity });
  }

  static unauthenticated(message = 'A valid access token is required.'): DomainError {
    return new DomainError(ErrorCode.UNAUTHENTICATED, message);
  }

  static forbidden(message = errorCodeMessages.FORBIDDEN): DomainError {
    return new DomainError(ErrorCode.FORBIDDEN, message);
  }

  static invalidInput(fieldErrors: FieldError[]): DomainError {
    const summary = fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return new DomainError(ErrorCode.BAD_USER_INPUT, `Invalid input. ${summary}`, { fieldErrors });
  }

  static conflict(message: string): DomainError {
    return new DomainError(ErrorCode.CONFLICT, message);
  }

  static unavailable(message = errorCodeMessages.SERVICE_UNAVAILABLE): DomainError {
    return new DomainError(ErrorCode.SERVICE_UNAVAILABLE, message);
  }
}
