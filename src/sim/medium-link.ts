/**
 * The framing between `onboard medium` and radios in other processes (Unix stream socket):
 * `length(u32 BE) | type(u8) | payload`, length covering type + payload. Frequencies are MHz (a
 * channel number alone is ambiguous: 2.4 and 6 GHz numbers overlap), rates 500 kb/s units.
 *   HELLO     radio -> hub : mac(6) frequency(u16) name(utf8)
 *   TX        radio -> hub : cookie(u32) rate(u8) 802.11 frame      (cookie 0: no status wanted)
 *   TUNE      radio -> hub : frequency(u16)
 *   ADDRESS   radio -> hub : add(u8: 1 add, 0 remove) mac(6)      (a further address to acknowledge)
 *   RX        hub -> radio : frequency(u16) signal(i8, dBm) rate(u8) transmitter(6) 802.11 frame
 *   TX_STATUS hub -> radio : cookie(u32) acked(u8)
 *   WELCOME   hub -> radio : count(u16), then per radio already there: mac(6) frequency(u16) nameLength(u8) name
 *   ERROR     hub -> radio : text(utf8): what was wrong with the radio's last message
 */
import { DecodeError } from '../util/errors.js';
import type { RadioSummary } from './medium.js';

export enum LinkType {
  Hello = 1,
  Tx = 2,
  Tune = 3,
  Rx = 4,
  TxStatus = 5,
  Welcome = 6,
  Error = 7,
  Address = 8,
}

export const MAX_LINK_MESSAGE = 8192;
/** Whatever a frame may be: the largest 802.11 MPDU (VHT, 11454 octets) does not fit; the medium's MTU is this. */
export const MAX_LINK_FRAME = MAX_LINK_MESSAGE - 16;

export type LinkMessage =
  | { type: LinkType.Hello; mac: Buffer; frequency: number; name: string }
  | { type: LinkType.Tx; cookie: number; rate: number; frame: Buffer }
  | { type: LinkType.Tune; frequency: number }
  | { type: LinkType.Address; add: boolean; mac: Buffer }
  | { type: LinkType.Rx; frequency: number; signal: number; rate: number; transmitter: Buffer; frame: Buffer }
  | { type: LinkType.TxStatus; cookie: number; acked: boolean }
  | { type: LinkType.Welcome; radios: RadioSummary[] }
  | { type: LinkType.Error; text: string };

/** A message that was framed correctly but could not be decoded: the stream goes on after it. */
export interface InvalidLinkMessage {
  type: 'invalid';
  error: DecodeError;
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

function payloadOf(message: LinkMessage): Buffer {
  switch (message.type) {
    case LinkType.Hello:
      return Buffer.concat([message.mac.subarray(0, 6), u16(message.frequency), Buffer.from(message.name, 'utf8')]);
    case LinkType.Tx:
      return Buffer.concat([u32(message.cookie), Buffer.from([message.rate]), message.frame]);
    case LinkType.Tune:
      return u16(message.frequency);
    case LinkType.Address:
      return Buffer.concat([Buffer.from([message.add ? 1 : 0]), message.mac.subarray(0, 6)]);
    case LinkType.Rx: {
      const head = Buffer.alloc(4);
      head.writeUInt16BE(message.frequency, 0);
      head.writeInt8(message.signal, 2);
      head[3] = message.rate;
      return Buffer.concat([head, message.transmitter.subarray(0, 6), message.frame]);
    }
    case LinkType.TxStatus:
      return Buffer.concat([u32(message.cookie), Buffer.from([message.acked ? 1 : 0])]);
    case LinkType.Welcome:
      return Buffer.concat([
        u16(message.radios.length),
        ...message.radios.map((r) => {
          const name = Buffer.from(r.name, 'utf8').subarray(0, 255);
          return Buffer.concat([r.mac.subarray(0, 6), u16(r.frequency), Buffer.from([name.length]), name]);
        }),
      ]);
    case LinkType.Error:
      return Buffer.from(message.text, 'utf8');
  }
}

export function encodeLink(message: LinkMessage): Buffer {
  const payload = payloadOf(message);
  if (payload.length + 1 > MAX_LINK_MESSAGE) throw new RangeError(`medium link ${LinkType[message.type]}: ${payload.length + 1} bytes, at most ${MAX_LINK_MESSAGE}`);
  const header = Buffer.alloc(5);
  header.writeUInt32BE(payload.length + 1, 0);
  header[4] = message.type;
  return Buffer.concat([header, payload]);
}

function decodeOne(type: number, payload: Buffer, offset: number): LinkMessage {
  const name = LinkType[type] ?? String(type);
  const need = (n: number) => {
    if (payload.length < n) throw new DecodeError('medium-link-short', 'medium link message', offset, `${name} needs ${n} bytes, has ${payload.length}`);
  };
  switch (type as LinkType) {
    case LinkType.Hello:
      need(8);
      return { type: LinkType.Hello, mac: Buffer.from(payload.subarray(0, 6)), frequency: payload.readUInt16BE(6), name: payload.subarray(8).toString('utf8') };
    case LinkType.Tx:
      need(5);
      return { type: LinkType.Tx, cookie: payload.readUInt32BE(0), rate: payload[4]!, frame: Buffer.from(payload.subarray(5)) };
    case LinkType.Tune:
      need(2);
      return { type: LinkType.Tune, frequency: payload.readUInt16BE(0) };
    case LinkType.Address:
      need(7);
      return { type: LinkType.Address, add: payload[0] !== 0, mac: Buffer.from(payload.subarray(1, 7)) };
    case LinkType.Rx:
      need(10);
      return {
        type: LinkType.Rx,
        frequency: payload.readUInt16BE(0),
        signal: payload.readInt8(2),
        rate: payload[3]!,
        transmitter: Buffer.from(payload.subarray(4, 10)),
        frame: Buffer.from(payload.subarray(10)),
      };
    case LinkType.TxStatus:
      need(5);
      return { type: LinkType.TxStatus, cookie: payload.readUInt32BE(0), acked: payload[4] !== 0 };
    case LinkType.Welcome: {
      need(2);
      const count = payload.readUInt16BE(0);
      const radios: RadioSummary[] = [];
      let at = 2;
      for (let i = 0; i < count; i++) {
        need(at + 9);
        const length = payload[at + 8]!;
        need(at + 9 + length);
        radios.push({ mac: Buffer.from(payload.subarray(at, at + 6)), frequency: payload.readUInt16BE(at + 6), name: payload.subarray(at + 9, at + 9 + length).toString('utf8') });
        at += 9 + length;
      }
      return { type: LinkType.Welcome, radios };
    }
    case LinkType.Error:
      return { type: LinkType.Error, text: payload.toString('utf8') };
    default:
      throw new DecodeError('medium-link-type', 'medium link message', offset, `unknown message type ${type}`);
  }
}

/**
 * Incremental decoder for a byte stream. A message whose length is out of range throws (the
 * stream cannot be resynchronised after it); a well-framed message that does not decode comes
 * out as `invalid` and the stream goes on.
 */
export class LinkDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private consumed = 0;

  push(chunk: Buffer): Array<LinkMessage | InvalidLinkMessage> {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: Array<LinkMessage | InvalidLinkMessage> = [];
    while (this.buffer.length >= 4) {
      const length = this.buffer.readUInt32BE(0);
      if (length < 1 || length > MAX_LINK_MESSAGE) {
        throw new DecodeError('medium-link-length', 'medium link message', this.consumed, `length ${length} outside 1..${MAX_LINK_MESSAGE}`);
      }
      if (this.buffer.length < 4 + length) break;
      try {
        out.push(decodeOne(this.buffer[4]!, this.buffer.subarray(5, 4 + length), this.consumed));
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        out.push({ type: 'invalid', error });
      }
      this.buffer = this.buffer.subarray(4 + length);
      this.consumed += 4 + length;
    }
    return out;
  }
}
