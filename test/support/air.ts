/**
 * The air suite's bench: scripts/air-vm.sh boots the VM once for all scenarios and leaves each
 * one's evidence in OUT/NAME/ (logs, configs, the medium's capture with both sides' frames). These
 * helpers run it and read the evidence: capture frames decoded with our 802.11 codec, the
 * reference daemons' log lines, wpa_supplicant's Credential dumps.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame } from '../../src/ieee80211/index.js';
import { decodeFrame, parseMultiApElement } from '../../src/ieee80211/index.js';
import { readPcap } from '../../src/pcap/pcap.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface AirRun {
  out: string;
  /** Why the VM could not run (missing qemu, no 9p, kernel not fetchable...), with how to fix it. */
  notRun?: string;
  status: number | null;
  seconds: number;
  log: string;
}

/** Boots the VM once and runs every scenario; never throws (a failure is evidence to report). */
export function runAirVm(scenarios: string[], timeoutMs: number): AirRun {
  // Re-reads the evidence of an earlier run instead of booting (to iterate on the checks).
  const reuse = process.env.ONBOARD_AIR_EVIDENCE;
  if (reuse) return { out: reuse, status: 0, seconds: 0, log: `evidence of an earlier run (ONBOARD_AIR_EVIDENCE=${reuse})` };
  const out = process.env.ONBOARD_AIR_OUT ?? mkdtempSync(join(tmpdir(), 'onboard-air-'));
  mkdirSync(out, { recursive: true });
  const started = Date.now();
  const run = spawnSync('bash', [join(REPO, 'scripts', 'air-vm.sh'), out, ...scenarios], { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGTERM' });
  const seconds = (Date.now() - started) / 1000;
  const log = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const notRunFile = join(out, 'not-run');
  if (run.error) return { out, status: null, seconds, log, notRun: `scripts/air-vm.sh could not run: ${run.error.message}` };
  if (run.status === 3 && existsSync(notRunFile)) return { out, status: 3, seconds, log, notRun: readFileSync(notRunFile, 'utf8').trim() };
  return { out, status: run.status, seconds, log };
}

export class Evidence {
  constructor(readonly dir: string) {}

  has(name: string): boolean {
    return existsSync(join(this.dir, name));
  }

  text(name: string): string {
    const path = join(this.dir, name);
    if (!existsSync(path)) throw new Error(`evidence ${path} is missing (see ${join(this.dir, 'scenario.log')})`);
    return readFileSync(path, 'utf8');
  }

  frames(name = 'air.pcap'): CapturedAirFrame[] {
    return airFrames(readFileSync(join(this.dir, name)));
  }
}

export interface CapturedAirFrame {
  index: number;
  /** The 802.11 frame without the radiotap header. */
  raw: Buffer;
  frame: Frame | null;
  frequency: number;
}

/** Every frame of a radiotap capture (ours or tcpdump's on hwsim0), decoded where our codec can. */
export function airFrames(pcap: Buffer): CapturedAirFrame[] {
  const file = readPcap(pcap);
  if (file.linkType !== 127) throw new Error(`capture link type ${file.linkType}, expected radiotap (127)`);
  return file.records.map((record, index) => {
    const data = Buffer.from(record.data);
    const length = data.readUInt16LE(2);
    const raw = data.subarray(length);
    let frame: Frame | null;
    try {
      frame = decodeFrame(raw);
    } catch {
      frame = null; // control frames and what our codec does not model are compared as bytes
    }
    return { index, raw, frame, frequency: radiotapFrequency(data) };
  });
}

/** The channel field of a radiotap header (present bit 3), aligned to 2 after the fields before it. */
function radiotapFrequency(data: Buffer): number {
  const present = data.readUInt32LE(4);
  if ((present & (1 << 3)) === 0) return 0;
  let offset = 8;
  let word = present;
  while (word & 0x80000000) {
    word = data.readUInt32LE(offset);
    offset += 4;
  }
  if (present & (1 << 0)) offset = ((offset + 7) & ~7) + 8; // TSFT
  if (present & (1 << 1)) offset += 1; // flags
  if (present & (1 << 2)) offset += 1; // rate
  offset = (offset + 1) & ~1;
  return data.readUInt16LE(offset);
}

export const mac = (frame: Buffer) => [...frame].map((b) => b.toString(16).padStart(2, '0')).join(':');

export function multiApValue(frame: Frame): number | undefined {
  if (!('elements' in frame)) return undefined;
  const parsed = parseMultiApElement(frame.elements);
  return parsed.kind === 'present' ? parsed.element.extension : undefined;
}

/** EAPOL-Key frames (LLC/SNAP ethertype 0x888e, EAPOL type 3) of a capture. */
export function eapolKeys(frames: CapturedAirFrame[]): { at: CapturedAirFrame; keyInfo: number; ta: string; ra: string }[] {
  const out = [];
  for (const f of frames) {
    if (f.frame?.kind !== 'data' || f.frame.etherType !== 0x888e) continue;
    const body = f.frame.payload;
    if (body[1] !== 3) continue;
    out.push({ at: f, keyInfo: body.readUInt16BE(5), ta: mac(f.frame.header.addr2), ra: mac(f.frame.header.addr1) });
  }
  return out;
}

/** "WPS: Received Credential attribute - hexdump(len=N): .." as wpa_supplicant -K (and onboard sta -K) log it. */
export function loggedCredentials(log: string): Buffer[] {
  return [...log.matchAll(/WPS: Received Credential attribute - hexdump\(len=\d+\):((?: [0-9a-f]{2})+)/g)].map((m) => Buffer.from(m[1]!.replace(/ /g, ''), 'hex'));
}

/** One WSC attribute (type, length, value), as the Credential's members are written. */
export function tlv(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(value.length, 2);
  return Buffer.concat([head, value]);
}
