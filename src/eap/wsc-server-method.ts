/**
 * The EAP-WSC method on the server (authenticator) side, as hostapd's eap_server_wsc.c behaves:
 * it builds the EAP-WSC part of each Request and consumes the EAP-WSC part of each Response.
 * Incoming fragments are answered with FRAG_ACK Requests; outgoing ones wait for FRAG_ACK
 * Responses. Unlike the peer, the server fails the method on anything unexpected.
 *
 * States (eap_server_wsc.c): START (Registrar: send WSC_Start) -> MESG <-> WAIT_FRAG_ACK, FRAG_ACK;
 * and PENDING while the handler's answer waits for a key agreement computed elsewhere
 * (WscHandlerResult.pending), left by `resume`.
 */
import { NO_BYTES } from '../util/bytes.js';
import type { FrameDecodeError } from './errors.js';
import { OnboardError, expectOnboardError } from '../util/errors.js';
import type { WscFragment } from './eap-wsc.js';
import { WscFragmenter, WscReassembler } from './fragmentation.js';
import type { WscRole } from './wsc-peer-method.js';
import type { WscHandler, WscHandlerResult } from '../wsc/wsc-handler.js';
import { WscOpCode } from '../wsc/wsc-handler.js';

export enum ServerMethodState {
  Start = 'start',
  Message = 'message',
  /** The handler's answer is pending (a key agreement computed elsewhere): `resume` delivers it. */
  Pending = 'pending',
  WaitFragAck = 'wait-frag-ack',
  /** The handler finished with a reply: the next complete Response ends the method. */
  Closing = 'closing',
  Done = 'done',
}

export type ServerMethodFailure =
  | 'bad-fragment'
  | 'unexpected-op-code'
  | 'no-reply'
  | 'handler-error';

export type ServerMethodStep =
  /** Send this in a new Request. */
  | { kind: 'request'; fragment: WscFragment }
  /** Nothing to send yet: the handler's answer comes through `resume`. */
  | { kind: 'pending' }
  /** The WSC run is over: send EAP-Failure (the normal end of a run). */
  | { kind: 'finished' }
  /** The method failed: send EAP-Failure. */
  | { kind: 'fail'; reason: ServerMethodFailure; detail?: string; error?: FrameDecodeError };

export interface WscServerMethodOptions {
  /** The role of the peer station, from its identity: an Enrollee peer makes us the Registrar. */
  peerRole: WscRole;
  fragmentSize: number;
  maxMessageLength: number;
  onMessage?: (direction: 'in' | 'out', opCode: number, data: Buffer) => void;
}

const ACCEPTED_OP_CODES: ReadonlySet<number> = new Set([WscOpCode.Ack, WscOpCode.Nack, WscOpCode.Msg, WscOpCode.Done]);
const FRAG_ACK: WscFragment = { opCode: WscOpCode.FragAck, flags: 0, data: NO_BYTES };

export class WscServerMethod {
  private stateValue = ServerMethodState.Start;
  private readonly reassembler: WscReassembler;
  private fragmenter: WscFragmenter | null = null;
  private closing = false;
  /** No Response of this method has been processed yet (a Nak is still acceptable). */
  proposed = true;

  constructor(
    private readonly handler: WscHandler,
    private readonly options: WscServerMethodOptions,
  ) {
    this.reassembler = new WscReassembler(options.maxMessageLength);
  }

  get state(): ServerMethodState {
    return this.stateValue;
  }

  /**
   * The first Request: WSC_Start when we are the Registrar; M1 from the handler (called with
   * `{Start, empty}`) when the peer is a Registrar and we are the Enrollee.
   */
  firstRequest(now: number): ServerMethodStep {
    if (this.options.peerRole === 'enrollee') return { kind: 'request', fragment: { opCode: WscOpCode.Start, flags: 0, data: NO_BYTES } };
    this.stateValue = ServerMethodState.Message;
    return this.deliver(WscOpCode.Start, NO_BYTES, now);
  }

  process(fragment: WscFragment, now: number): ServerMethodStep {
    this.proposed = false;
    if (this.stateValue === ServerMethodState.Done) return { kind: 'finished' };
    if (this.stateValue === ServerMethodState.Pending) throw new Error('a Response reached the EAP-WSC method while its answer is pending');
    const headerError = this.reassembler.checkHeader(fragment);
    if (headerError) return this.fail('bad-fragment', headerError);

    if (this.stateValue === ServerMethodState.WaitFragAck) {
      if (fragment.opCode !== WscOpCode.FragAck) return this.fail('unexpected-op-code', undefined, `Op-Code ${fragment.opCode} while waiting for FRAG_ACK`);
      return this.sendNext();
    }
    if (!ACCEPTED_OP_CODES.has(fragment.opCode)) return this.fail('unexpected-op-code', undefined, `unexpected Op-Code ${fragment.opCode}`);

    const result = this.reassembler.accept(fragment);
    switch (result.kind) {
      case 'error':
        return this.fail('bad-fragment', result.error);
      case 'more':
        return { kind: 'request', fragment: FRAG_ACK };
      case 'complete':
        this.options.onMessage?.('in', result.opCode, result.data);
        if (this.closing) {
          // The handler already ended the run (e.g. an Enrollee AP sent WSC_Done): it still sees
          // the answer, but whatever it says the conversation ends with EAP-Failure.
          this.callHandler(result.opCode, result.data, now);
          this.stateValue = ServerMethodState.Done;
          return { kind: 'finished' };
        }
        this.stateValue = ServerMethodState.Message;
        return this.deliver(result.opCode, result.data, now);
    }
  }

  /** A typed error from the handler ends the run with 'handler-error'; anything else is a bug and propagates. */
  private callHandler(opCode: WscOpCode, data: Buffer, now: number): WscHandlerResult | OnboardError {
    try {
      return this.handler.process({ opCode, data }, now);
    } catch (error) {
      return expectOnboardError(error);
    }
  }

  /** The answer a `pending` step waited for, now that the host has what the handler needed. */
  resume(now: number): ServerMethodStep {
    if (this.stateValue !== ServerMethodState.Pending || !this.handler.resume) throw new Error(`EAP-WSC method resumed in state ${this.stateValue}`);
    this.stateValue = ServerMethodState.Message;
    let result: WscHandlerResult | OnboardError;
    try {
      result = this.handler.resume(now);
    } catch (error) {
      result = expectOnboardError(error);
    }
    return this.answer(result);
  }

  private deliver(opCode: WscOpCode, data: Buffer, now: number): ServerMethodStep {
    return this.answer(this.callHandler(opCode, data, now));
  }

  private answer(result: WscHandlerResult | OnboardError): ServerMethodStep {
    if (result instanceof OnboardError) return this.fail('handler-error', undefined, result.message);
    if (result.pending) {
      if (result.reply || result.finished) throw new Error('a pending WSC answer with a reply or an end');
      this.stateValue = ServerMethodState.Pending;
      return { kind: 'pending' };
    }
    if (result.reply) {
      this.fragmenter = new WscFragmenter(result.reply.opCode, result.reply.data, this.options.fragmentSize);
      if (result.finished) this.closing = true;
      this.options.onMessage?.('out', result.reply.opCode, result.reply.data);
      return this.sendNext();
    }
    this.stateValue = ServerMethodState.Done;
    return result.finished ? { kind: 'finished' } : this.fail('no-reply', undefined, 'the handler had nothing to send');
  }

  private sendNext(): ServerMethodStep {
    const fragmenter = this.fragmenter;
    if (!fragmenter) return this.fail('unexpected-op-code', undefined, 'FRAG_ACK with nothing left to send');
    const fragment = fragmenter.next();
    if (fragmenter.done) {
      this.fragmenter = null;
      this.stateValue = this.closing ? ServerMethodState.Closing : ServerMethodState.Message;
    } else {
      this.stateValue = ServerMethodState.WaitFragAck;
    }
    return { kind: 'request', fragment };
  }

  private fail(reason: ServerMethodFailure, error?: FrameDecodeError, detail?: string): ServerMethodStep {
    this.stateValue = ServerMethodState.Done;
    return { kind: 'fail', reason, ...(error ? { error, detail: error.message } : detail !== undefined ? { detail } : {}) };
  }
}
