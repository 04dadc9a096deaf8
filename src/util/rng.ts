import { Buffer } from 'node:buffer';
import { randomFillSync } from 'node:crypto';

/**
 * Source of randomness for the protocol core. Production code always uses {@link systemRng}
 * (the OS CSPRNG): nonces, secret nonces (E-S1/E-S2/R-S1/R-S2), DH private keys and IVs must be
 * independent of each other and of anything else, or the exchange falls to offline attacks
 * ("Pixie Dust"). Tests inject a deterministic source to rebuild captured messages byte for byte.
 */
export interface Rng {
  bytes(length: number): Buffer;
}

/**
 * The OS CSPRNG, read in 4 KiB blocks: one registration draws about a dozen short values, and a
 * kernel round trip per value cost more than all the protocol's hashing. Bytes handed out are
 * zeroed in the pool, so no value is ever given twice or left behind.
 */
class PooledSystemRng implements Rng {
  private readonly pool = Buffer.alloc(4096);
  private offset = this.pool.length;

  bytes(length: number): Buffer {
    if (length > this.pool.length) return randomFillSync(Buffer.alloc(length));
    if (this.offset + length > this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    // Copied out and zeroed byte by byte: the values are short (16-32 bytes), where a view, a
    // native copy and Buffer.fill cost more than the loop.
    const out = Buffer.allocUnsafe(length);
    const { pool } = this;
    for (let i = 0, at = this.offset; i < length; i++, at++) {
      out[i] = pool[at]!;
      pool[at] = 0;
    }
    this.offset += length;
    return out;
  }
}

export const systemRng: Rng = new PooledSystemRng();

/** Replays a fixed list of byte strings in order (tests and known-answer vectors only). */
export class ScriptedRng implements Rng {
  private readonly queue: Buffer[];
  constructor(values: Buffer[], private readonly fallback: Rng | null = null) {
    this.queue = [...values];
  }
  bytes(length: number): Buffer {
    const next = this.queue.shift();
    if (next === undefined) {
      if (this.fallback) return this.fallback.bytes(length);
      throw new Error(`ScriptedRng exhausted (asked for ${length} bytes)`);
    }
    if (next.length !== length) throw new Error(`ScriptedRng: next value has ${next.length} bytes, asked for ${length}`);
    return Buffer.from(next);
  }
}
