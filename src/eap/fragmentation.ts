/**
 * EAP-WSC fragmentation (WSC 2.0 §8.3.1; eap_wsc.c and eap_server_wsc.c
 * eap_wsc_build_msg, eap_wsc_process_fragment), the same on both sides of the EAP exchange.
 *
 * `fragmentSize` bounds what follows the 12-byte EAP + expanded header: Op-Code, Flags, the
 * optional Message Length and the data. A message that does not fit goes out as a first fragment
 * (MF|LF, total length, size-4 data bytes), middle fragments (MF, size-2 bytes) and a last one
 * (no flags, the rest); each non-final fragment waits for a WSC_FRAG_ACK from the other side.
 */
import { Buffer } from 'node:buffer';
import type { WscOpCode } from '../wsc/wsc-handler.js';
import { MAX_WSC_MESSAGE_LENGTH, MIN_FRAGMENT_SIZE, WSC_FLAG_LF, WSC_FLAG_MF } from './constants.js';
import type { WscFragment } from './eap-wsc.js';
import { FrameDecodeError } from './errors.js';

export function checkFragmentSize(size: number): void {
  if (!Number.isInteger(size) || size < MIN_FRAGMENT_SIZE || size > 0xffff - 12) {
    throw new RangeError(`fragment size must be an integer from ${MIN_FRAGMENT_SIZE} to ${0xffff - 12}, got ${size}`);
  }
}

/** Splits one outgoing message; `next()` gives the fragments in order. */
export class WscFragmenter {
  private used = 0;
  private started = false;

  constructor(
    readonly opCode: WscOpCode,
    readonly message: Buffer,
    readonly fragmentSize: number,
  ) {
    checkFragmentSize(fragmentSize);
    if (message.length > 0xffff) throw new RangeError(`WSC message of ${message.length} bytes does not fit the 16-bit Message Length`);
  }

  /** True once the last fragment has been handed out. */
  get done(): boolean {
    return this.started && this.used === this.message.length;
  }

  next(): WscFragment {
    if (this.done) throw new Error('all fragments already sent');
    const first = !this.started;
    this.started = true;
    let sendLength = this.message.length - this.used;
    let flags = 0;
    if (2 + sendLength > this.fragmentSize) {
      sendLength = this.fragmentSize - 2;
      flags |= WSC_FLAG_MF;
      if (first) {
        flags |= WSC_FLAG_LF;
        sendLength -= 2;
      }
    }
    const data = this.message.subarray(this.used, this.used + sendLength);
    this.used += sendLength;
    return flags & WSC_FLAG_LF ? { opCode: this.opCode, flags, messageLength: this.message.length, data } : { opCode: this.opCode, flags, data };
  }
}

/** All fragments of a message at once (tests, captures, tools). */
export function fragmentMessage(opCode: WscOpCode, message: Buffer, fragmentSize: number): WscFragment[] {
  const fragmenter = new WscFragmenter(opCode, message, fragmentSize);
  const out: WscFragment[] = [];
  do out.push(fragmenter.next());
  while (!fragmenter.done);
  return out;
}

export type ReassemblyResult =
  | { kind: 'complete'; opCode: number; data: Buffer }
  | { kind: 'more' }
  | { kind: 'error'; error: FrameDecodeError };

/**
 * Collects the fragments of one incoming message into a buffer bounded by the announced Message
 * Length, which itself may not exceed `maxLength` (50000 in both references). Errors are values:
 * the peer ignores the offending packet, the server fails the method.
 */
export class WscReassembler {
  private chunks: Buffer[] = [];
  private received = 0;
  private expected = 0;
  private opCode: number | null = null;

  constructor(readonly maxLength: number = MAX_WSC_MESSAGE_LENGTH) {}

  get inProgress(): boolean {
    return this.opCode !== null;
  }

  /** The header check both references make on every packet before looking at its Op-Code. */
  checkHeader(fragment: WscFragment): FrameDecodeError | null {
    if (fragment.messageLength === undefined) return null;
    if (fragment.messageLength < fragment.data.length) {
      return new FrameDecodeError('wsc-message-length', 'EAP-WSC', 2, 'message-length', `Message Length ${fragment.messageLength} is smaller than the ${fragment.data.length} bytes of this fragment`);
    }
    if (fragment.messageLength > this.maxLength) {
      return new FrameDecodeError('wsc-message-too-long', 'EAP-WSC', 2, 'message-length', `Message Length ${fragment.messageLength} exceeds the limit of ${this.maxLength}`);
    }
    return null;
  }

  /** One fragment of a message (Op-Code already vetted by the state machine). */
  accept(fragment: WscFragment): ReassemblyResult {
    const headerError = this.checkHeader(fragment);
    if (headerError) return { kind: 'error', error: headerError };
    if (this.opCode !== null) {
      if (fragment.opCode !== this.opCode) {
        return { kind: 'error', error: new FrameDecodeError('wsc-fragment-op-code', 'EAP-WSC', 0, 'op-code', `Op-Code ${fragment.opCode} in a fragment of a message with Op-Code ${this.opCode}`) };
      }
      if (this.received + fragment.data.length > this.expected) {
        return { kind: 'error', error: new FrameDecodeError('wsc-fragment-overflow', 'EAP-WSC', 2, 'data', `fragment of ${fragment.data.length} bytes overruns the announced Message Length ${this.expected} (${this.received} received)`) };
      }
      this.chunks.push(fragment.data);
      this.received += fragment.data.length;
    }
    if (fragment.flags & WSC_FLAG_MF) {
      if (this.opCode === null) {
        if (fragment.messageLength === undefined) {
          return { kind: 'error', error: new FrameDecodeError('wsc-fragment-no-length', 'EAP-WSC', 1, 'flags', 'first fragment of a message without the LF flag and Message Length') };
        }
        this.opCode = fragment.opCode;
        this.expected = fragment.messageLength;
        this.chunks = [fragment.data];
        this.received = fragment.data.length;
      }
      return { kind: 'more' };
    }
    if (this.opCode === null) return { kind: 'complete', opCode: fragment.opCode, data: fragment.data };
    // As in both references, a message that ends short of its announced length is passed on as is.
    const result: ReassemblyResult = { kind: 'complete', opCode: this.opCode, data: Buffer.concat(this.chunks) };
    this.reset();
    return result;
  }

  reset(): void {
    this.chunks = [];
    this.received = 0;
    this.expected = 0;
    this.opCode = null;
  }
}
