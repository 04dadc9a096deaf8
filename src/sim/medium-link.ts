/**
 * The framing between `onboard medium` and radios in other processes (Unix stream socket):
 * `length(u32 BE) | type(u8) | payload`, length covering type + payload.
 *   HELLO   radio -> hub : mac(6) channel(u16) name(utf8)
 *   TX      radio -> hub : 802.11 frame
 *   CHANNEL radio -> hub : channel(u16)
 *   RX      hub -> radio : channel(u16) transmitter(6) 802.11 frame
 */
import { DecodeError } from '../util/errors.js';

export enum LinkType {
  Hello = 1,
  Tx = 2,
  Channel = 3,
  Rx = 4,
}

export const MAX_LINK_MESSAGE = 8192;

export type LinkMessage =
  | { type: LinkType.Hello; mac: Buffer; channel: number; name: string }
  | { type: LinkType.Tx; frame: Buffer }
  | { type: LinkType.Channel; channel: number }
  | { type: LinkType.Rx; channel: number; transmitter: Buffer; frame: Buffer };

export function encodeLink(message: LinkMessage): Buffer {
  let payload: Buffer;
  switch (message.type) {
    case LinkType.Hello: {
      const head = Buffer.alloc(8);
      message.mac.copy(head, 0, 0, 6);
      head.writeUInt16BE(message.channel, 6);
      payload = Buffer.concat([head, Buffer.from(message.name, 'utf8')]);
      break;
    }
    case LinkType.Tx:
      payload = message.frame;
      break;
    case LinkType.Channel:
      payload = Buffer.alloc(2);
      payload.writeUInt16BE(message.channel);
      break;
    case LinkType.Rx: {
      const head = Buffer.alloc(8);
      head.writeUInt16BE(message.channel, 0);
      message.transmitter.copy(head, 2, 0, 6);
      payload = Buffer.concat([head, message.frame]);
      break;
    }
  }
  const header = Buffer.alloc(5);
  header.writeUInt32BE(payload.length + 1, 0);
  header[4] = message.type;
  return Buffer.concat([header, payload]);
}

function decodeOne(type: number, payload: Buffer, offset: number): LinkMessage {
  const need = (n: number) => {
    if (payload.length < n) throw new DecodeError('medium-link-short', 'medium link message', offset, `${LinkType[type] ?? type} needs ${n} bytes, has ${payload.length}`);
  };
  switch (type as LinkType) {
    case LinkType.Hello:
      need(8);
      return { type: LinkType.Hello, mac: Buffer.from(payload.subarray(0, 6)), channel: payload.readUInt16BE(6), name: payload.subarray(8).toString('utf8') };
    case LinkType.Tx:
      return { type: LinkType.Tx, frame: Buffer.from(payload) };
    case LinkType.Channel:
      need(2);
      return { type: LinkType.Channel, channel: payload.readUInt16BE(0) };
    case LinkType.Rx:
      need(8);
      return { type: LinkType.Rx, channel: payload.readUInt16BE(0), transmitter: Buffer.from(payload.subarray(2, 8)), frame: Buffer.from(payload.subarray(8)) };
    default:
      throw new DecodeError('medium-link-type', 'medium link message', offset, `unknown message type ${type}`);
  }
}

/** Incremental decoder for a byte stream; throws DecodeError on a malformed or oversized message. */
export class LinkDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private consumed = 0;

  push(chunk: Buffer): LinkMessage[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: LinkMessage[] = [];
    while (this.buffer.length >= 4) {
      const length = this.buffer.readUInt32BE(0);
      if (length < 1 || length > MAX_LINK_MESSAGE) {
        throw new DecodeError('medium-link-length', 'medium link message', this.consumed, `length ${length} outside 1..${MAX_LINK_MESSAGE}`);
      }
      if (this.buffer.length < 4 + length) break;
      out.push(decodeOne(this.buffer[4]!, this.buffer.subarray(5, 4 + length), this.consumed));
      this.buffer = this.buffer.subarray(4 + length);
      this.consumed += 4 + length;
    }
    return out;
  }
}
