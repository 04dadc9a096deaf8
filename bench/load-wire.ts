/** What bench:load's main thread and its shards (load-shard.ts) share: the AP's settings and the frame batches between them. */
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
