import { ErrorCode } from '@mascot/contracts';

export interface FieldError {
  field: string;
  message: string;
}

/** What crosses IPC when a call fails: Electron keeps only an Error's message, so failures travel as data. */
export interface StudioErrorData {
  code: ErrorCode;
  message: string;
  fields: FieldError[];
}

/** A failure the designer can act on, with a stable code from @mascot/contracts and, for bad input, the fields. */
export class StudioError extends Error {
  override name = 'StudioError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static invalid(fields: FieldError[]): StudioError {
    const first = fields[0];
    return new StudioError(ErrorCode.BAD_USER_INPUT, first ? `${first.field} ${first.message}` : 'Some of the input is not valid.', fields);
  }

  static notFound(what: string): StudioError {
    return new StudioError(ErrorCode.NOT_FOUND, `${what} does not exist.`);
  }

  toData(): StudioErrorData {
    return { code: this.code, message: this.message, fields: this.fields };
  }

  static fromData(data: StudioErrorData): StudioError {
    return new StudioError(data.code, data.message, data.fields);
  }
}

/** The envelope every IPC call answers with. */
export type IpcResult<T = unknown> = { ok: true; value: T } | { ok: false; error: StudioErrorData };
