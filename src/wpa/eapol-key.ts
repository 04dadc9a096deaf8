/**
 * EAPOL-Key frames, RSN descriptor (IEEE 802.11-2020 §12.7.2), inside an EAPOL PDU of type 3.
 * Typed decode errors name the field and offset; encode gives back the decoded bytes.
 */
import { DecodeError } from '../util/errors.js';

export const EAPOL_KEY_TYPE = 3;
export const RSN_KEY_DESCRIPTOR = 2;

export const KeyInfo = {
  /** Descriptor version 2: HMAC-SHA1-128 MIC, AES key wrap. */
  VersionHmacSha1Aes: 0x0002,
  Pairwise: 0x0008,
  Install: 0x0040,
  Ack: 0x0080,
  Mic: 0x0100,
  Secure: 0x0200,
  Error: 0x0400,
  Request: 0x0800,
  EncryptedKeyData: 0x1000,
} as const;

export interface EapolKey {
  /** EAPOL protocol version of the enclosing PDU. */
  eapolVersion: number;
  keyInfo: number;
  keyLength: number;
  replayCounter: bigint;
  nonce: Buffer;
  iv: Buffer;
  rsc: Buffer;
  /** Key ID / reserved octets (zero when we send; kept as received so re-encoding is exact). */
  reserved?: Buffer;
  mic: Buffer;
  keyData: Buffer;
}

const FIXED = 95;
const MIC_OFFSET = 4 + 77;

/** Decodes a whole EAPOL PDU holding an RSN EAPOL-Key frame. */
export function decodeEapolKey(pdu: Buffer): EapolKey {
  const fail = (offset: number, field: string, message: string) => new DecodeError('eapol-key', `EAPOL-Key ${field}`, offset, message);
  if (pdu.length < 4) throw fail(pdu.length, 'header', 'EAPOL header cut short');
  if (pdu[1] !== EAPOL_KEY_TYPE) throw fail(1, 'type', `EAPOL type ${pdu[1]} is not EAPOL-Key`);
  const length = pdu.readUInt16BE(2);
  if (4 + length > pdu.length) throw fail(2, 'length', `body length ${length} exceeds the ${pdu.length - 4} bytes present`);
  if (length < FIXED) throw fail(4, 'body', `${length} bytes, the fixed fields need ${FIXED}`);
  const body = pdu.subarray(4, 4 + length);
  if (body[0] !== RSN_KEY_DESCRIPTOR) throw fail(4, 'descriptor', `descriptor type ${body[0]} is not RSN (2)`);
  const dataLength = body.readUInt16BE(93);
  if (FIXED + dataLength > body.length) throw fail(4 + 93, 'key data length', `${dataLength} bytes of key data announced, ${body.length - FIXED} present`);
  return {
    eapolVersion: pdu[0]!,
    keyInfo: body.readUInt16BE(1),
    keyLength: body.readUInt16BE(3),
    replayCounter: body.readBigUInt64BE(5),
    nonce: Buffer.from(body.subarray(13, 45)),
    iv: Buffer.from(body.subarray(45, 61)),
    rsc: Buffer.from(body.subarray(61, 69)),
    reserved: Buffer.from(body.subarray(69, 77)),
    mic: Buffer.from(body.subarray(77, 93)),
    keyData: Buffer.from(body.subarray(FIXED, FIXED + dataLength)),
  };
}

export function encodeEapolKey(key: EapolKey): Buffer {
  const body = Buffer.alloc(FIXED + key.keyData.length);
  body[0] = RSN_KEY_DESCRIPTOR;
  body.writeUInt16BE(key.keyInfo, 1);
  body.writeUInt16BE(key.keyLength, 3);
  body.writeBigUInt64BE(key.replayCounter, 5);
  key.nonce.copy(body, 13);
  key.iv.copy(body, 45);
  key.rsc.copy(body, 61);
  key.reserved?.copy(body, 69);
  key.mic.copy(body, 77);
  body.writeUInt16BE(key.keyData.length, 93);
  key.keyData.copy(body, FIXED);
  const header = Buffer.from([key.eapolVersion, EAPOL_KEY_TYPE, 0, 0]);
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

/** The PDU with its MIC field zeroed: what the MIC is computed over. */
export function withZeroMic(pdu: Buffer): Buffer {
  const copy = Buffer.from(pdu);
  copy.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
  return copy;
}
