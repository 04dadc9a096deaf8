/**
 * The prplMesh gateway <-> agent captures (test/vectors/prplmesh-autoconfig, made with prplMesh's
 * own selftest; see summary.txt there): every frame split into its Ethernet addresses and the CMDU.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readCapture } from '../eap/pcapng.js';

export const PRPLMESH_DIR = fileURLToPath(new URL('../../../test/vectors/prplmesh-autoconfig/', import.meta.url));
export const PRPLMESH_CAPTURES = ['autoconfig', 'renew', 'teardown'] as const;
export type PrplmeshCapture = (typeof PRPLMESH_CAPTURES)[number];

export interface CapturedCmduFrame {
  /** 1-based, as tshark and summary.txt number frames. */
  number: number;
  dst: Buffer;
  src: Buffer;
  etherType: number;
  /** The CMDU: everything after the 14-byte Ethernet header. */
  payload: Buffer;
}

export function prplmeshFrames(name: PrplmeshCapture): CapturedCmduFrame[] {
  const file = readCapture(readFileSync(`${PRPLMESH_DIR}${name}.pcapng`));
  return file.records.map((record, index) => {
    const bytes = Buffer.from(record.data);
    return { number: index + 1, dst: bytes.subarray(0, 6), src: bytes.subarray(6, 12), etherType: bytes.readUInt16BE(12), payload: bytes.subarray(14) };
  });
}
