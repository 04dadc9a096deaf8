/**
 * `onboard medium --socket PATH [--pcap FILE]`: the medium as a hub for radios in other processes
 * (`onboard ap`/`onboard sta` with `-D sim`). A radio's HELLO is answered with the radios already
 * there; a message that cannot be used gets an ERROR reply (a bad length also closes that
 * connection, as the stream cannot be resynchronised); the other radios keep going.
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { existsSync, unlinkSync } from 'node:fs';
import type { FaultConfig, RadioPort, TxStatus } from './medium.js';
import { Medium } from './medium.js';
import type { LinkMessage } from './medium-link.js';
import { LinkDecoder, LinkType, encodeLink } from './medium-link.js';
import { realScheduler } from './scheduler.js';
import type { CaptureSink } from './capture.js';
import { formatMac } from '../util/mac.js';
import { expectDecodeError } from '../util/errors.js';

export interface MediumServerOptions {
  socketPath: string;
  capture?: CaptureSink;
  faults?: Partial<FaultConfig>;
  seed?: number;
  log?: (line: string) => void;
}

export class MediumServer {
  readonly medium: Medium;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: MediumServerOptions) {
    this.medium = new Medium(realScheduler, {
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.capture ? { capture: (f) => options.capture!.write(f) } : {}),
    });
  }

  async listen(): Promise<void> {
    const { socketPath } = this.options;
    if (existsSync(socketPath)) unlinkSync(socketPath);
    this.server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(socketPath, () => resolve());
    });
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const decoder = new LinkDecoder();
    let port: RadioPort | null = null;
    const log = this.options.log ?? (() => {});
    const who = () => (port ? formatMac(port.mac) : '(no HELLO yet)');
    const send = (message: LinkMessage) => {
      if (!socket.destroyed) socket.write(encodeLink(message));
    };
    // A message that cannot be used is answered with ERROR and the radio stays attached.
    const refuse = (why: string) => {
      log(`medium: radio ${who()}: ${why}`);
      send({ type: LinkType.Error, text: why });
    };
    socket.on('data', (chunk) => {
      let messages;
      try {
        messages = decoder.push(chunk);
      } catch (error) {
        // A bad length: the stream cannot be resynchronised. Say why, then close.
        const why = `${expectDecodeError(error).message}; closing the connection`;
        log(`medium: radio ${who()}: ${why}`);
        send({ type: LinkType.Error, text: why });
        socket.end();
        socket.removeAllListeners('data');
        return;
      }
      for (const m of messages) {
        if (m.type === 'invalid') refuse(m.error.message);
        else if (m.type === LinkType.Hello) {
          if (port) {
            refuse(`a second HELLO (${formatMac(m.mac)}); this connection is already radio ${formatMac(port.mac)}`);
            continue;
          }
          const others = this.medium.radioList();
          port = this.medium.attach({ mac: m.mac, frequency: m.frequency, name: m.name }, (frame, info) =>
            send({ type: LinkType.Rx, frequency: info.frequency, signal: info.signal, rate: info.rate, transmitter: info.transmitter, frame }),
          );
          send({ type: LinkType.Welcome, radios: others });
          log(`medium: radio ${m.name || '?'} ${formatMac(m.mac)} on ${m.frequency} MHz (${others.length} other radios)`);
        } else if (!port) refuse(`${LinkType[m.type]} before HELLO`);
        else if (m.type === LinkType.Tx) {
          const cookie = m.cookie;
          port.send(m.frame, { rate: m.rate, ...(cookie !== 0 ? { onStatus: (status: TxStatus) => send({ type: LinkType.TxStatus, cookie, acked: status.acked }) } : {}) });
        } else if (m.type === LinkType.Tune) port.tune(m.frequency);
        else if (m.type === LinkType.Address) {
          if (m.add) port.addAddress(m.mac);
          else port.removeAddress(m.mac);
        } else refuse(`${LinkType[m.type]} is sent by the medium, not by a radio`);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      port?.detach();
      this.sockets.delete(socket);
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (existsSync(this.options.socketPath)) unlinkSync(this.options.socketPath);
    await this.options.capture?.close();
  }
}
