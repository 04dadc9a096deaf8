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

/** What one prplMesh agent radio applied from one WSC CMDU, as its log says. */
export type LoggedRadioResult = { kind: 'teardown' } | { kind: 'bsses'; bsses: { ssid: string; bssType: number; authType: number; encrType: number; mac: string }[] };

/**
 * The results a prplMesh agent's radio logged (logs/<instance>/beerocks_agent_<radio>.log,
 * son_slave_thread handle_autoconfiguration_wsc), one per WSC CMDU addressed to that radio, in order:
 * `bss_type: 0x..` then ` ssid: X, bssid: Y, authentication_type: 0x.., encryption_type: 0x..` per
 * BSS, or `Empty config data, tear down radio`.
 */
export function prplmeshAgentResults(instance: 'agent' | 'agent2', radio: 'wlan0' | 'wlan2'): LoggedRadioResult[] {
  const lines = readFileSync(`${PRPLMESH_DIR}logs/${instance}/beerocks_agent_${radio}.log`, 'utf8').split('\n');
  const results: LoggedRadioResult[] = [];
  let current: LoggedRadioResult | undefined;
  let bssType: number | undefined;
  for (const line of lines) {
    if (line.includes('Received AP_AUTOCONFIGURATION_WSC_MESSAGE')) {
      if (current) results.push(current);
      current = undefined;
      continue;
    }
    if (line.includes('Empty config data, tear down radio')) current = { kind: 'teardown' };
    const type = /bss_type: 0x([0-9a-f]+)/.exec(line);
    if (type) bssType = parseInt(type[1]!, 16);
    const bss = /^ ssid: (\S*), bssid: (\S+), authentication_type: 0x([0-9a-f]+), encryption_type: 0x([0-9a-f]+)/.exec(line);
    if (bss && bssType !== undefined) {
      if (!current || current.kind !== 'bsses') current = { kind: 'bsses', bsses: [] };
      current.bsses.push({ ssid: bss[1]!, mac: bss[2]!, authType: parseInt(bss[3]!, 16), encrType: parseInt(bss[4]!, 16), bssType });
      bssType = undefined;
    }
  }
  if (current) results.push(current);
  return results;
}
