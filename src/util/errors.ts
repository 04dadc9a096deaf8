/**
 * Root of the error hierarchy. Every error we throw on bad input carries a stable `code` that
 * callers can match on, and says where the problem is. Messages never contain secrets.
 */
export class OnboardError extends Error {
  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Malformed bytes on some wire: `offset` is relative to the start of the structure named in `structure`. */
export class DecodeError extends OnboardError {
  constructor(
    code: string,
    readonly structure: string,
    readonly offset: number,
    message: string,
  ) {
    super(code, `${structure}: ${message} (at offset ${offset})`);
  }
}

/**
 * Narrows a caught value to one of our typed errors (the input was refused on purpose); anything
 * else is a bug and is thrown on, so it fails the test or fuzz input that hit it and reaches the
 * daemon's internal-error report instead of becoming a NACK, a FAIL or a warning.
 */
export function expectOnboardError(error: unknown): OnboardError {
  if (error instanceof OnboardError) return error;
  throw error;
}

/** A system call's error (Node's errors carry the errno name in `code`), or one of ours. */
export function isErrnoError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/** A system call allowed to fail (a file already gone): its error is dropped by the caller; anything else is a bug and goes on up. */
export function expectErrnoError(error: unknown): NodeJS.ErrnoException {
  if (isErrnoError(error)) return error;
  throw error;
}

/**
 * At an I/O boundary (opening a socket, a file, a radio): a refusal from the system or one of our
 * typed errors is reported to the user; anything else is a bug and goes on up.
 */
export function expectOperationalError(error: unknown): Error {
  if (error instanceof OnboardError || isErrnoError(error)) return error;
  throw error;
}

/** Narrows a caught value to a DecodeError; anything else is a bug and goes on up. */
export function expectDecodeError(error: unknown): DecodeError {
  if (error instanceof DecodeError) return error;
  throw error;
}
