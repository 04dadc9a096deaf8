/**
 * pcap capture of the medium: every transmitted frame once, as an over-the-air monitor would see
 * it. Link type 105 (plain 802.11) — Wireshark and tshark dissect it directly.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { LinkType, pcapGlobalHeader, pcapRecord } from '../pcap/pcap.js';
import type { CapturedFrame } from './medium.js';

export interface CaptureSink {
  write(frame: CapturedFrame): void;
  close(): Promise<void>;
}

/** Collects frames in memory (tests, demo) and can render the file. */
export class MemoryCapture implements CaptureSink {
  readonly frames: CapturedFrame[] = [];
  constructor(private readonly epochMs = Date.UTC(2026, 0, 1)) {}
  write(frame: CapturedFrame): void {
    this.frames.push(frame);
  }
  toPcap(): Buffer {
    return Buffer.concat([
      pcapGlobalHeader(LinkType.Ieee80211),
      ...this.frames.map((f) => pcapRecord(BigInt(Math.round((this.epochMs + f.time) * 1000)), f.frame)),
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

  constructor(path: string, private readonly clock: () => number = () => Date.now()) {
    this.chain = open(path, 'w', 0o644).then(async (h) => {
      this.handle = h;
      await h.write(pcapGlobalHeader(LinkType.Ieee80211));
    });
  }

  write(frame: CapturedFrame): void {
    const record = pcapRecord(BigInt(Math.round(this.clock() * 1000)), frame.frame);
    this.chain = this.chain.then(() => this.handle?.write(record));
  }

  async close(): Promise<void> {
    await this.chain;
    await this.handle?.close();
    this.handle = null;
  }
}
