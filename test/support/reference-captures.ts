/**
 * The real hostapd 2.10 <-> wpa_supplicant 2.10 capture sets (copied from ../shared/captures into
 * test/vectors so a clone anywhere has them): every EAPOL frame decoded through our codecs, the
 * EAP-WSC fragments reassembled into WSC messages, and the `-K` hexdumps of both debug logs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { EapolFrame, EapPacket, EthernetFrame, WscFragment } from '../../src/eap/index.js';
import { decodeEap, decodeEapol, decodeEthernet, EapolType, WscReassembler, wscFragmentOf } from '../../src/eap/index.js';
import { readCapture } from '../eap/pcapng.js';

export const CAPTURE_SETS = ['real-pbc', 'real-pbc-frag100', 'real-pin'] as const;
export type CaptureSet = (typeof CAPTURE_SETS)[number];

export const VECTORS_DIR = fileURLToPath(new URL('../../../test/vectors/captures/', import.meta.url));

export function captureFile(set: CaptureSet, name: string): Buffer {
  return readFileSync(join(VECTORS_DIR, set, name));
}

export interface CapturedFrame {
  index: number;
  bytes: Buffer;
  ethernet: EthernetFrame;
  eapol: EapolFrame;
  eap?: EapPacket;
  fragment?: WscFragment;
}

export interface CapturedMessage {
  /** EAP Responses come from the supplicant (the Enrollee here), Requests from hostapd's Registrar. */
  from: 'enrollee' | 'registrar';
  opCode: number;
  bytes: Buffer;
  fragments: number;
}

export interface DecodedCapture {
  frames: CapturedFrame[];
  messages: CapturedMessage[];
}

/** Decodes every frame of a capture set; throws (typed) on any frame our codecs cannot read. */
export function decodeCaptureSet(set: CaptureSet): DecodedCapture {
  const file = readCapture(captureFile(set, 'capture.pcap'));
  const frames: CapturedFrame[] = [];
  const messages: CapturedMessage[] = [];
  const reassemblers = { enrollee: new WscReassembler(), registrar: new WscReassembler() };
  const counts = { enrollee: 0, registrar: 0 };
  file.records.forEach((record, index) => {
    const bytes = Buffer.from(record.data);
    const ethernet = decodeEthernet(bytes);
    const eapol = decodeEapol(ethernet.payload);
    const frame: CapturedFrame = { index, bytes, ethernet, eapol };
    frames.push(frame);
    if (eapol.type !== EapolType.EapPacket) return;
    const eap = decodeEap(eapol.body);
    frame.eap = eap;
    const fragment = wscFragmentOf(eap);
    if (!fragment) return;
    frame.fragment = fragment;
    const from = eap.code === 2 ? 'enrollee' : 'registrar';
    // A bare FRAG_ACK acknowledges the other side's fragment; it is not part of a message.
    if (fragment.opCode === 6) return;
    counts[from]++;
    const result = reassemblers[from].accept(fragment);
    if (result.kind === 'error') throw result.error;
    if (result.kind === 'complete') {
      messages.push({ from, opCode: result.opCode, bytes: result.data, fragments: counts[from] });
      counts[from] = 0;
    }
  });
  return { frames, messages };
}

/** Every `<label> - hexdump(len=N): ..` value in a `-dd -K` debug log, in order. */
export function logHexdumps(log: string, label: string): Buffer[] {
  const out: Buffer[] = [];
  const marker = `: ${label} - hexdump(len=`;
  for (const line of log.split('\n')) {
    const at = line.indexOf(marker);
    if (at < 0) continue;
    const rest = line.slice(at + marker.length);
    const close = rest.indexOf('):');
    const length = Number(rest.slice(0, close));
    const hex = rest.slice(close + 2).trim().replace(/ /g, '');
    const value = Buffer.from(hex, 'hex');
    if (value.length !== length) throw new Error(`${label}: log says ${length} bytes, line holds ${value.length}`);
    out.push(value);
  }
  return out;
}

/** The one value of `label` in a log (all occurrences must agree). */
export function logHexdump(log: string, label: string): Buffer {
  const values = logHexdumps(log, label);
  const first = values[0];
  if (!first) throw new Error(`no "${label}" hexdump in the log`);
  if (values.some((v) => !v.equals(first))) throw new Error(`"${label}" has ${values.length} different values in the log`);
  return first;
}
