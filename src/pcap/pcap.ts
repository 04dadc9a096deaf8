/**
 * Classic libpcap file format (not pcapng): a 24-byte global header, then per packet a 16-byte
 * record header and the captured bytes. We read both byte orders and micro/nanosecond variants and
 * write little-endian microsecond files, which is what tcpdump and tshark write by default.
 */
import { DecodeError } from '../util/errors.js';

export const LinkType = {
  Ethernet: 1,
  Ieee80211: 105,
  Radiotap: 127,
} as const;

export interface PcapRecord {
  /** Timestamp in microseconds since the epoch (nanosecond files are truncated to µs). */
  timestampUs: bigint;
  /** Original length on the wire (may exceed data.length if the capture was truncated). */
  originalLength: number;
  data: Buffer;
}

export interface PcapFile {
  linkType: number;
  snapLength: number;
  records: PcapRecord[];
}

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;

export function readPcap(bytes: Buffer): PcapFile {
  if (bytes.length < 24) throw new DecodeError('pcap-truncated', 'pcap', 0, 'file shorter than the 24-byte global header');
  let littleEndian: boolean;
  let nanoseconds: boolean;
  const le = bytes.readUInt32LE(0);
  const be = bytes.readUInt32BE(0);
  if (le === MAGIC_US || le === MAGIC_NS) {
    littleEndian = true;
    nanoseconds = le === MAGIC_NS;
  } else if (be === MAGIC_US || be === MAGIC_NS) {
    littleEndian = false;
    nanoseconds = be === MAGIC_NS;
  } else {
    throw new DecodeError('pcap-magic', 'pcap', 0, `unknown magic 0x${be.toString(16)} (pcapng is not supported)`);
  }
  const u32 = (at: number): number => (littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const snapLength = u32(16);
  const linkType = u32(20) & 0x0fffffff;
  const records: PcapRecord[] = [];
  let offset = 24;
  while (offset < bytes.length) {
    if (offset + 16 > bytes.length) throw new DecodeError('pcap-truncated', 'pcap', offset, 'truncated record header');
    const seconds = u32(offset);
    const fraction = u32(offset + 4);
    const captured = u32(offset + 8);
    const originalLength = u32(offset + 12);
    if (offset + 16 + captured > bytes.length) {
      throw new DecodeError('pcap-truncated', 'pcap', offset, `record of ${captured} bytes runs past the end of the file`);
    }
    const micro = nanoseconds ? BigInt(Math.floor(fraction / 1000)) : BigInt(fraction);
    records.push({
      timestampUs: BigInt(seconds) * 1_000_000n + micro,
      originalLength,
      data: bytes.subarray(offset + 16, offset + 16 + captured),
    });
    offset += 16 + captured;
  }
  return { linkType, snapLength, records };
}

export function pcapGlobalHeader(linkType: number, snapLength = 262144): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(MAGIC_US, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(snapLength, 16);
  header.writeUInt32LE(linkType, 20);
  return header;
}

export function pcapRecord(timestampUs: bigint, data: Uint8Array): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32LE(Number(timestampUs / 1_000_000n), 0);
  header.writeUInt32LE(Number(timestampUs % 1_000_000n), 4);
  header.writeUInt32LE(data.length, 8);
  header.writeUInt32LE(data.length, 12);
  return Buffer.concat([header, data]);
}

export function writePcap(file: PcapFile): Buffer {
  return Buffer.concat([
    pcapGlobalHeader(file.linkType, file.snapLength),
    ...file.records.map((r) => pcapRecord(r.timestampUs, r.data)),
  ]);
}
