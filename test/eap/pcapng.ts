/**
 * Minimal pcapng reader for the shared captures (dumpcap writes pcapng, and src/pcap/pcap.ts
 * reads classic pcap only). Section Header, Interface Description and Enhanced/Simple Packet
 * blocks; one section; other blocks are skipped. Returns the same shape as readPcap.
 */
import type { PcapFile, PcapRecord } from '../../src/pcap/pcap.js';
import { readPcap } from '../../src/pcap/pcap.js';
import { DecodeError } from '../../src/util/errors.js';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const SPB = 3;
const EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

interface Interface {
  linkType: number;
  snapLength: number;
  /** Ticks per second of the timestamps. */
  ticksPerSecond: bigint;
}

export function readPcapng(bytes: Buffer): PcapFile {
  if (bytes.length < 28 || bytes.readUInt32LE(0) !== SHB) throw new DecodeError('pcapng-magic', 'pcapng', 0, 'not a pcapng file');
  const littleEndian = bytes.readUInt32LE(8) === BYTE_ORDER_MAGIC;
  if (!littleEndian && bytes.readUInt32BE(8) !== BYTE_ORDER_MAGIC) throw new DecodeError('pcapng-magic', 'pcapng', 8, 'bad byte-order magic');
  const u32 = (at: number): number => (littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const u16 = (at: number): number => (littleEndian ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const interfaces: Interface[] = [];
  const records: PcapRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 12 > bytes.length) throw new DecodeError('pcapng-truncated', 'pcapng', offset, 'truncated block header');
    const type = u32(offset);
    const length = u32(offset + 4);
    if (length < 12 || length % 4 !== 0 || offset + length > bytes.length) throw new DecodeError('pcapng-length', 'pcapng', offset, `bad block length ${length}`);
    const body = offset + 8;
    if (type === IDB) {
      let ticksPerSecond = 1_000_000n;
      // Options start after link type (2), reserved (2) and snap length (4).
      let at = body + 8;
      while (at + 4 <= offset + length - 4) {
        const code = u16(at);
        const optLength = u16(at + 2);
        if (code === 0) break;
        if (code === 9 && optLength === 1) {
          const resolution = bytes[at + 4]!;
          ticksPerSecond = resolution & 0x80 ? 1n << BigInt(resolution & 0x7f) : 10n ** BigInt(resolution);
        }
        at += 4 + Math.ceil(optLength / 4) * 4;
      }
      interfaces.push({ linkType: u16(body), snapLength: u32(body + 4), ticksPerSecond });
    } else if (type === EPB) {
      const iface = interfaces[u32(body)];
      if (!iface) throw new DecodeError('pcapng-interface', 'pcapng', body, 'packet of an undeclared interface');
      const ticks = (BigInt(u32(body + 4)) << 32n) | BigInt(u32(body + 8));
      const captured = u32(body + 12);
      records.push({
        timestampUs: (ticks * 1_000_000n) / iface.ticksPerSecond,
        originalLength: u32(body + 16),
        data: bytes.subarray(body + 20, body + 20 + captured),
      });
    } else if (type === SPB) {
      const iface = interfaces[0];
      if (!iface) throw new DecodeError('pcapng-interface', 'pcapng', body, 'simple packet without an interface');
      const original = u32(body);
      const captured = Math.min(original, iface.snapLength || original, length - 16);
      records.push({ timestampUs: 0n, originalLength: original, data: bytes.subarray(body + 4, body + 4 + captured) });
    }
    offset += length;
  }
  const first = interfaces[0];
  if (!first) throw new DecodeError('pcapng-interface', 'pcapng', 0, 'no interface description block');
  return { linkType: first.linkType, snapLength: first.snapLength, records };
}

/** Classic pcap through src/pcap, pcapng through the reader above. */
export function readCapture(bytes: Buffer): PcapFile {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === SHB ? readPcapng(bytes) : readPcap(bytes);
}
