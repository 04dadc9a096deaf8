/**
 * pcap capture of the medium: every transmitted frame once, as an over-the-air monitor would see
 * it: with a radiotap header (link type 127, channel and signal, as a monitor-mode capture), or
 * plain 802.11 (link type 105). Wireshark and tshark dissect both directly.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { LinkType, pcapGlobalHeader, pcapRecord } from '../pcap/pcap.js';
import { LINKTYPE_IEEE802_11_RADIOTAP, radiotapFrame } from '../ieee80211/radiotap.js';
import { OnboardError, isErrnoError } from '../util/errors.js';

export interface CaptureFormat {
  /** Radiotap header in front of every frame (default true). */
  radiotap?: boolean;
}

function linkType(format: CaptureFormat): number {
  return format.radiotap === false ? LinkType.Ieee80211 : LINKTYPE_IEEE802_11_RADIOTAP;
}

function recordBytes(frame: CapturedFrame, format: CaptureFormat): Buffer {
  return format.radiotap === false ? frame.frame : radiotapFrame(frame.frame, frame.frequency, frame.signal, frame.rate);
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

/** A capture file that cannot be opened or written, with the reason in a few words. */
export class CaptureFileError extends OnboardError {
  constructor(readonly path: string, cause: NodeJS.ErrnoException) {
    super('CAPTURE_FILE', `cannot write the capture to ${path}: ${fileErrorText(cause)}`, { cause });
  }
}

/** An errno from opening or writing a file, as a user reads it. */
export function fileErrorText(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'it is a symbolic link, which onboard does not write through';
    case 'EISDIR':
      return 'it is a directory';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error.code ?? error.message;
  }
}

/**
 * Flags for a capture file the user named: created or truncated, never through a symbolic link
 * (a link planted in a shared directory must not redirect a write made as root).
 */
export const CAPTURE_OPEN_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

/** Appends to a pcap file as frames go by, in order. */
export class FileCapture implements CaptureSink {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private handle: FileHandle | null,
    private readonly clock: () => number,
    private readonly format: CaptureFormat,
  ) {}

  /** Opens (CAPTURE_OPEN_FLAGS) and writes the file header; throws {@link CaptureFileError}. */
  static async open(path: string, clock: () => number = () => Date.now(), format: CaptureFormat = {}): Promise<FileCapture> {
    try {
      const handle = await open(path, CAPTURE_OPEN_FLAGS, 0o644);
      await handle.write(pcapGlobalHeader(linkType(format)));
      return new FileCapture(handle, clock, format);
    } catch (error) {
      if (isErrnoError(error)) throw new CaptureFileError(path, error);
      throw error;
    }
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
