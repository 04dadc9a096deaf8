/**
 * pcap capture of the medium: every transmitted frame once, as an over-the-air monitor would see
 * it: with a radiotap header (link type 127, channel and signal, as a monitor-mode capture), or
 * plain 802.11 (link type 105). Wireshark and tshark dissect both directly.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { LinkType, pcapGlobalHeader, pcapRecord } from '../pcap/pcap.js';
import { LINKTYPE_IEEE802_11_RADIOTAP, radiotapFrame } from '../ieee80211/radiotap.js';
import { MEDIUM_SIGNAL_DBM } from './medium.js';

export interface CaptureFormat {
  /** Radiotap header in front of every frame (default true). */
  radiotap?: boolean;
}

function linkType(format: CaptureFormat): number {
  return format.radiotap === false ? LinkType.Ieee80211 : LINKTYPE_IEEE802_11_RADIOTAP;
}

function recordBytes(frame: CapturedFrame, format: CaptureFormat): Buffer {
  return format.radiotap === false ? frame.frame : radiotapFrame(frame.frame, frame.channel, MEDIUM_SIGNAL_DBM);
}
import type { CapturedFrame } from './medium.js';

export interface CaptureSink {
  write(frame: CapturedFrame): void;
  close(): Promise<void>;
}

/** Collects frames in memory (tests, demo) and can render the file. */
export class MemoryCapture implements CaptureSink {
  readonly frames: CapturedFrame[] = [];
  constructor(
    private readonly epochMs = Date.UTC(2026, 0, 1),
    private readonly format: CaptureFormat = {},
  ) {}
  write(frame: CapturedFrame): void {
    this.frames.push(frame);
  }
  toPcap(): Buffer {
    return Buffer.concat([
      pcapGlobalHeader(linkType(this.format)),
      ...this.frames.map((f) => pcapRecord(BigInt(Math.round((this.epochMs + f.time) * 1000)), recordBytes(f, this.format))),
    ]);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Appends to a pcap file as frames go by, in order. */
export class FileCapture implements CaptureSink {
  private chain: Promise<unknown>;
  private handle: FileHandle | null = null;

  constructor(
    path: string,
    private readonly clock: () => number = () => Date.now(),
    private readonly format: CaptureFormat = {},
  ) {
    this.chain = open(path, 'w', 0o644).then(async (h) => {
      this.handle = h;
      await h.write(pcapGlobalHeader(linkType(format)));
    });
  }

  write(frame: CapturedFrame): void {
    const record = pcapRecord(BigInt(Math.round(this.clock() * 1000)), recordBytes(frame, this.format));
    this.chain = this.chain.then(() => this.handle?.write(record));
  }

  async close(): Promise<void> {
    await this.chain;
    await this.handle?.close();
    this.handle = null;
  }
}
