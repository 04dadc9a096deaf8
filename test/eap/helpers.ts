/** Scripted WSC handlers and an in-memory wire between a Supplicant and an Authenticator. */
import assert from 'node:assert/strict';
import type { Authenticator, EapPacket, OutgoingFrame, Supplicant, WscFragment } from '../../src/eap/index.js';
import type { WscFrame, WscHandler, WscHandlerResult } from '../../src/wsc/index.js';
import { decodeEap, decodeEapol, decodeEthernet, EapolType, wscFragmentOf } from '../../src/eap/index.js';
import { WscOpCode } from '../../src/wsc/index.js';
import { ScriptedRng } from '../../src/util/rng.js';

export const STA_MAC = Buffer.from('020000000a01', 'hex');
export const STA2_MAC = Buffer.from('020000000a02', 'hex');
export const AP_MAC = Buffer.from('020000000b01', 'hex');

/** Deterministic bytes of a given length (distinct per seed). */
export function payload(length: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 7 + seed * 13 + (i >> 8)) & 0xff));
}

export type Step = (frame: WscFrame) => WscHandlerResult;

/** A WscHandler that plays a fixed list of steps, one per complete message received. */
export class ScriptedHandler implements WscHandler {
  readonly received: WscFrame[] = [];
  readonly aborts: string[] = [];
  private index = 0;

  constructor(private readonly steps: Step[]) {}

  process(frame: WscFrame, _now: number): WscHandlerResult {
    this.received.push({ opCode: frame.opCode, data: Buffer.from(frame.data) });
    const step = this.steps[this.index++];
    if (!step) return { finished: true };
    return step(frame);
  }

  abort(reason: 'timeout' | 'aborted'): void {
    this.aborts.push(reason);
  }
}

export const reply = (opCode: WscOpCode, data: Buffer, finished = false): Step => () => ({ reply: { opCode, data }, finished });
export const finish: Step = () => ({ finished: true });

/** An Enrollee-side script: M1 on Start, M3/M5/M7 on each message, Done after the last. */
export function scriptedEnrollee(sizes: number[]): ScriptedHandler {
  const steps: Step[] = sizes.map((size, i) => reply(WscOpCode.Msg, payload(size, 2 * i + 1)));
  steps.push(reply(WscOpCode.Done, payload(60, 99), true));
  return new ScriptedHandler(steps);
}

/** A Registrar-side script: M2/M4/M6/M8 for each message, then finished on Done. */
export function scriptedRegistrar(sizes: number[]): ScriptedHandler {
  const steps: Step[] = sizes.map((size, i) => reply(WscOpCode.Msg, payload(size, 2 * i + 2)));
  steps.push(finish);
  return new ScriptedHandler(steps);
}

export interface WireRecord {
  from: 'sta' | 'ap';
  frame: OutgoingFrame;
  eapolType: number;
  eap?: EapPacket;
  wsc?: WscFragment;
}

export function describeFrame(from: 'sta' | 'ap', frame: OutgoingFrame): WireRecord {
  const eapol = decodeEapol(decodeEthernet(frame.ethernet).payload);
  const record: WireRecord = { from, frame, eapolType: eapol.type };
  if (eapol.type === EapolType.EapPacket) {
    record.eap = decodeEap(eapol.body);
    const wsc = record.eap.code <= 2 ? wscFragmentOf(record.eap) : undefined;
    if (wsc) record.wsc = wsc;
  }
  return record;
}

export interface WireOptions {
  /** Return false to drop a frame. */
  deliver?: (record: WireRecord, index: number) => boolean;
}

/**
 * Moves frames between the two sides until both are quiet, then advances time to the next
 * deadline, until nothing is pending or `until` is reached. Returns every frame sent.
 */
export function runWire(sta: Supplicant, ap: Authenticator, startNow: number, until = startNow + 600_000, options: WireOptions = {}): { log: WireRecord[]; now: number } {
  const log: WireRecord[] = [];
  let now = startNow;
  for (let guard = 0; guard < 10_000; guard++) {
    let moved = false;
    for (const frame of sta.takeFrames()) {
      const record = describeFrame('sta', frame);
      log.push(record);
      if (options.deliver?.(record, log.length - 1) ?? true) ap.receiveFrame(frame.ethernet, now);
      moved = true;
    }
    for (const frame of ap.takeFrames()) {
      const record = describeFrame('ap', frame);
      log.push(record);
      if (options.deliver?.(record, log.length - 1) ?? true) sta.receiveFrame(frame.ethernet, now);
      moved = true;
    }
    if (moved) continue;
    const deadlines = [sta.nextDeadline(), ap.nextDeadline()].filter((d): d is number => d !== null);
    if (deadlines.length === 0) break;
    const next = Math.max(now, Math.min(...deadlines));
    if (next > until) break;
    now = next;
    sta.handleTimeout(now);
    ap.handleTimeout(now);
  }
  return { log, now };
}

/** First EAP identifiers of successive sessions; later sessions count up from 100. */
export function rng(...ids: number[]): ScriptedRng {
  let next = 100;
  return new ScriptedRng(ids.map((id) => Buffer.from([id])), { bytes: (length) => Buffer.alloc(length, next++) });
}

export function assertSameMessages(received: WscFrame[], sent: WscFrame[]): void {
  assert.equal(received.length, sent.length);
  for (const [i, frame] of received.entries()) {
    assert.equal(frame.opCode, sent[i]!.opCode, `op-code of message ${i}`);
    assert.deepEqual(frame.data, sent[i]!.data, `data of message ${i}`);
  }
}
