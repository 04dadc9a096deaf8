/**
 * The EAP-WSC method on the peer (supplicant) side, as wpa_supplicant's eap_wsc.c behaves:
 * one object per EAP conversation, fed the EAP-WSC part of each new Request, answering with the
 * EAP-WSC part of the Response. It reassembles incoming messages (answering FRAG_ACK), hands each
 * complete message to the WscHandler and fragments the handler's reply.
 *
 * States (eap_wsc.c): WAIT_START (Enrollee before WSC_Start) -> MESG <-> WAIT_FRAG_ACK -> DONE.
 * Anything unexpected is ignored (no Response), never an exception.
 */
import { NO_BYTES } from '../util/bytes.js';
import type { FrameDecodeError } from './errors.js';
import { expectOnboardError } from '../util/errors.js';
import type { WscFragment } from './eap-wsc.js';
import { WscFragmenter, WscReassembler } from './fragmentation.js';
import type { WscHandler, WscHandlerResult } from '../wsc/wsc-handler.js';
import { WscOpCode } from '../wsc/wsc-handler.js';

/** Which WSC role our side plays; it fixes the EAP identity and who speaks first. */
export type WscRole = 'enrollee' | 'registrar';

export enum PeerMethodState {
  WaitStart = 'wait-start',
  Message = 'message',
  WaitFragAck = 'wait-frag-ack',
  /** The last message of the run has been sent completely; only EAP-Failure is expected now. */
  Done = 'done',
  Failed = 'failed',
}

export type PeerMethodStep =
  /** Send this in a Response; `methodDone` when it completes the run's last message (WSC_Done, NACK). */
  | { kind: 'respond'; fragment: WscFragment; methodDone: boolean }
  /** Send nothing (eap_wsc.c `ret->ignore`). */
  | { kind: 'ignore'; reason: string; error?: FrameDecodeError }
  /** The run ended without anything to send: the peer stops answering. */
  | { kind: 'fail'; reason: 'no-reply' | 'handler-error'; detail?: string };

export interface WscPeerMethodOptions {
  role: WscRole;
  fragmentSize: number;
  maxMessageLength: number;
  /** Every complete message in or out, for events and logs. */
  onMessage?: (direction: 'in' | 'out', opCode: number, data: Buffer) => void;
}

const ACCEPTED_OP_CODES: ReadonlySet<number> = new Set([WscOpCode.Start, WscOpCode.Ack, WscOpCode.Nack, WscOpCode.Msg, WscOpCode.Done]);

export class WscPeerMethod {
  private stateValue: PeerMethodState;
  private readonly reassembler: WscReassembler;
  private fragmenter: WscFragmenter | null = null;
  private handlerFinished = false;

  constructor(
    private readonly handler: WscHandler,
    private readonly options: WscPeerMethodOptions,
  ) {
    // A Registrar-role station gets M1 in the first request; an Enrollee waits for WSC_Start.
    this.stateValue = options.role === 'registrar' ? PeerMethodState.Message : PeerMethodState.WaitStart;
    this.reassembler = new WscReassembler(options.maxMessageLength);
  }

  get state(): PeerMethodState {
    return this.stateValue;
  }

  /** The handler said the run is over (its last reply may still be on its way). */
  get runFinished(): boolean {
    return this.handlerFinished;
  }

  process(fragment: WscFragment, now: number): PeerMethodStep {
    if (this.stateValue === PeerMethodState.Done || this.stateValue === PeerMethodState.Failed) {
      return { kind: 'ignore', reason: `method already ${this.stateValue}` };
    }
    const headerError = this.reassembler.checkHeader(fragment);
    if (headerError) return { kind: 'ignore', reason: 'invalid Message Length', error: headerError };

    if (this.stateValue === PeerMethodState.WaitFragAck) {
      if (fragment.opCode !== WscOpCode.FragAck) return { kind: 'ignore', reason: `Op-Code ${fragment.opCode} while waiting for FRAG_ACK` };
      this.stateValue = PeerMethodState.Message;
      return this.sendNext();
    }
    if (!ACCEPTED_OP_CODES.has(fragment.opCode)) return { kind: 'ignore', reason: `unexpected Op-Code ${fragment.opCode}` };
    if (this.stateValue === PeerMethodState.WaitStart) {
      if (fragment.opCode !== WscOpCode.Start) return { kind: 'ignore', reason: `Op-Code ${fragment.opCode} before WSC_Start` };
      this.stateValue = PeerMethodState.Message;
      return this.deliver(WscOpCode.Start, NO_BYTES, now);
    }
    if (fragment.opCode === WscOpCode.Start) return { kind: 'ignore', reason: 'WSC_Start after the run started' };

    const result = this.reassembler.accept(fragment);
    switch (result.kind) {
      case 'error':
        return { kind: 'ignore', reason: 'bad fragment', error: result.error };
      case 'more':
        return { kind: 'respond', fragment: { opCode: WscOpCode.FragAck, flags: 0, data: NO_BYTES }, methodDone: false };
      case 'complete':
        this.options.onMessage?.('in', result.opCode, result.data);
        return this.deliver(result.opCode, result.data, now);
    }
  }

  private deliver(opCode: WscOpCode, data: Buffer, now: number): PeerMethodStep {
    let result: WscHandlerResult;
    try {
      result = this.handler.process({ opCode, data }, now);
    } catch (error) {
      // Only a typed error is the handler refusing on purpose; anything else is a bug and propagates.
      const refused = expectOnboardError(error);
      this.stateValue = PeerMethodState.Failed;
      return { kind: 'fail', reason: 'handler-error', detail: refused.message };
    }
    if (result.pending) throw new Error('an Enrollee run cannot defer its answer (WscHandlerResult.pending is for a server)');
    if (result.finished) this.handlerFinished = true;
    if (result.reply) {
      this.fragmenter = new WscFragmenter(result.reply.opCode, result.reply.data, this.options.fragmentSize);
      this.options.onMessage?.('out', result.reply.opCode, result.reply.data);
      return this.sendNext();
    }
    if (result.finished) {
      this.stateValue = PeerMethodState.Failed;
      return { kind: 'fail', reason: 'no-reply' };
    }
    return { kind: 'ignore', reason: 'handler ignored the message' };
  }

  private sendNext(): PeerMethodStep {
    const fragmenter = this.fragmenter;
    if (!fragmenter) return { kind: 'ignore', reason: 'FRAG_ACK with nothing left to send' };
    const fragment = fragmenter.next();
    if (!fragmenter.done) {
      this.stateValue = PeerMethodState.WaitFragAck;
      return { kind: 'respond', fragment, methodDone: false };
    }
    this.fragmenter = null;
    this.stateValue = this.handlerFinished ? PeerMethodState.Done : PeerMethodState.Message;
    return { kind: 'respond', fragment, methodDone: this.handlerFinished };
  }
}
