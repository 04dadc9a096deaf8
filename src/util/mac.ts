/** 48-bit MAC addresses: parsing and the reference's lowercase colon form. */
import { Buffer } from 'node:buffer';

export type MacAddress = Buffer;

const MAC_TEXT = /^([0-9a-fA-F]{2})(?::([0-9a-fA-F]{2})){5}$/;

export function parseMac(text: string): MacAddress {
  if (!MAC_TEXT.test(text)) throw new TypeError(`invalid MAC address: ${JSON.stringify(text)}`);
  return Buffer.from(text.split(':').map((h) => parseInt(h, 16)));
}

export function isMacText(text: string): boolean {
  return MAC_TEXT.test(text);
}

const HEX_OCTET = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lowercase colon form. Hot: ports and station tables are keyed by it on every frame. */
export function formatMac(mac: Uint8Array): string {
  if (mac.length !== 6) throw new TypeError(`MAC address must be 6 bytes, got ${mac.length}`);
  return `${HEX_OCTET[mac[0]!]}:${HEX_OCTET[mac[1]!]}:${HEX_OCTET[mac[2]!]}:${HEX_OCTET[mac[3]!]}:${HEX_OCTET[mac[4]!]}:${HEX_OCTET[mac[5]!]}`;
}

/**
 * Whether the 6 bytes at `offset` of `bytes` are `mac`: compared where they lie, for the receive
 * paths, which would otherwise make a view of each address and a native call per frame.
 */
export function isMacAt(bytes: Uint8Array, offset: number, mac: Uint8Array): boolean {
  return (
    mac.length === 6 &&
    bytes[offset] === mac[0] &&
    bytes[offset + 1] === mac[1] &&
    bytes[offset + 2] === mac[2] &&
    bytes[offset + 3] === mac[3] &&
    bytes[offset + 4] === mac[4] &&
    bytes[offset + 5] === mac[5]
  );
}

export const BROADCAST_MAC: MacAddress = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
/** IEEE 802.1X PAE group address ("nearest non-TPMR bridge"). */
export const PAE_GROUP_MAC: MacAddress = Buffer.from([0x01, 0x80, 0xc2, 0x00, 0x00, 0x03]);
