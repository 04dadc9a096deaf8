import { DecodeError } from '../util/errors.js';

/**
 * A malformed EAPOL-layer structure: like every DecodeError it names the structure and the
 * offset inside it, and additionally the field that was wrong.
 */
export class FrameDecodeError extends DecodeError {
  constructor(
    code: string,
    structure: string,
    offset: number,
    readonly field: string,
    message: string,
  ) {
    super(code, structure, offset, `${field}: ${message}`);
  }
}

export { expectDecodeError } from '../util/errors.js';
