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
