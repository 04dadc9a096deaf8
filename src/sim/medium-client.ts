/** A radio in this process attached to an `onboard medium` hub in another one. */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { RadioPort, RxInfo } from './medium.js';
import { LinkDecoder, LinkType, encodeLink } from './medium-link.js';
import { expectDecodeError } from '../util/errors.js';

export async function connectRadio(
  socketPath: string,
  options: { mac: Buffer; channel: number; name?: string },
  deliver: (frame: Buffer, info: RxInfo) => void,
  onError: (error: Error) => void = () => {},
): Promise<RadioPort> {
  const socket: Socket = connect(socketPath);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const decoder = new LinkDecoder();
  socket.on('data', (chunk) => {
    let messages;
    try {
      messages = decoder.push(chunk);
    } catch (error) {
      // A malformed link message: the medium is broken, the link ends. A bug in `deliver` is not caught here.
      onError(expectDecodeError(error));
      socket.destroy();
      return;
    }
    for (const m of messages) {
      if (m.type === LinkType.Rx) deliver(m.frame, { channel: m.channel, transmitter: m.transmitter, time: Date.now() });
    }
  });
  socket.on('error', onError);
  let channel = options.channel;
  socket.write(encodeLink({ type: LinkType.Hello, mac: options.mac, channel, name: options.name ?? '' }));
  return {
    mac: Buffer.from(options.mac),
    get channel() {
      return channel;
    },
    send: (frame) => {
      if (!socket.destroyed) socket.write(encodeLink({ type: LinkType.Tx, frame }));
    },
    setChannel: (c) => {
      channel = c;
      if (!socket.destroyed) socket.write(encodeLink({ type: LinkType.Channel, channel: c }));
    },
    detach: () => socket.end(),
  };
}
