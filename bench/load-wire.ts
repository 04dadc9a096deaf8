/**
 * What bench:load's threads share: the AP's settings, the Enrollees' addresses, and the frame
 * batches that cross between the Enrollees' thread and the AP's.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import type { RegistrarOptions } from '../src/wsc/index.js';
import { AuthType, EncrType } from '../src/wsc/index.js';
import { throwawayDevice } from '../src/daemon/self-test.js';

export function loadRegistrarOptions(apMac: Buffer, maxSessions: number): RegistrarOptions {
  return {
    device: throwawayDevice('load', apMac),
    fronthaul: { ssid: Buffer.from('load'), authTypes: AuthType.Wpa2Psk, encrTypes: EncrType.Aes, passphrase: 'load-test-passphrase' },
    maxSessions,
  };
}

export const AP_MAC = Buffer.from([0x02, 0x0d, 0, 0, 0, 1]);

/** Enrollee i's MAC: 02:0e:00 and i in the last three octets. */
export function enrolleeMac(index: number): Buffer {
  return Buffer.from([0x02, 0x0e, 0, (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff]);
}

/** The Enrollee's index, from the last three octets of its MAC, at `offset` in a frame (0: destination, 6: source). */
export const enrolleeIndex = (frame: Buffer, offset: number): number => (frame[offset + 3]! << 16) | (frame[offset + 4]! << 8) | frame[offset + 5]!;

/** The most frames one message between the threads carries. */
export const BATCH_FRAMES = 16;

/** Frames as one transferable buffer: a 2-octet length before each (Ethernet frames here are < 64 KiB). */
export function packFrames(frames: readonly Buffer[]): ArrayBuffer {
  let size = 0;
  for (const frame of frames) size += 2 + frame.length;
  const packed = new ArrayBuffer(size);
  const out = Buffer.from(packed);
  let at = 0;
  for (const frame of frames) {
    out.writeUInt16BE(frame.length, at);
    frame.copy(out, at + 2);
    at += 2 + frame.length;
  }
  return packed;
}

export function unpackFrames(packed: ArrayBuffer): Buffer[] {
  const all = Buffer.from(packed);
  const frames: Buffer[] = [];
  for (let at = 0; at < all.length; ) {
    const length = all.readUInt16BE(at);
    frames.push(all.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return frames;
}

type FramePort = MessagePort | Worker;

/**
 * One direction of the wire between two threads: frames sent here are posted in batches of at most
 * BATCH_FRAMES, the rest once the current turn of the event loop is over. Small batches: a whole
 * burst in one message would leave the receiving thread idle while this one works, and this one
 * idle while that one answers.
 */
export class FrameBatcher {
  private pending: Buffer[] = [];
  private armed = false;

  constructor(private readonly port: FramePort) {}

  send(frame: Buffer): void {
    this.pending.push(frame);
    if (this.pending.length >= BATCH_FRAMES) this.flush();
    else if (!this.armed) {
      this.armed = true;
      setImmediate(this.flushLater);
    }
  }

  private readonly flushLater = (): void => {
    this.armed = false;
    this.flush();
  };

  flush(): void {
    if (this.pending.length === 0) return;
    const packed = packFrames(this.pending);
    this.pending = [];
    this.port.postMessage(packed, [packed]);
  }
}

/**
 * The other direction: batches received are queued and their frames handed on once this turn of
 * the event loop is over, as a daemon reads a socket the kernel has filled. Handing them on inside
 * the message event would starve every other event source: Node delivers up to 1,000 queued
 * messages of a port in one go, and under a burst the next batches arrive meanwhile, so a key
 * worker's pairs and the timers waited until the burst was over (64 of 1,000 pairs came from the
 * key worker; the other 936 were computed on the AP's thread when it found its pool empty).
 */
export class FrameInbox {
  private queued: ArrayBuffer[] = [];
  private armed = false;

  constructor(private readonly deliver: (frame: Buffer) => void) {}

  add(batch: ArrayBuffer): void {
    this.queued.push(batch);
    if (this.armed) return;
    this.armed = true;
    setImmediate(this.drain);
  }

  private readonly drain = (): void => {
    this.armed = false;
    const batches = this.queued;
    this.queued = [];
    for (const batch of batches) for (const frame of unpackFrames(batch)) this.deliver(frame);
  };
}
