/**
 * `onboard medium --socket PATH [--pcap FILE]`: the medium as a hub for radios in other processes
 * (`onboard ap`/`onboard sta` with `-D sim`). A radio that sends garbage is disconnected; the others
 * keep going.
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { existsSync, unlinkSync } from 'node:fs';
import type { FaultConfig, RadioPort } from './medium.js';
import { Medium } from './medium.js';
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
    const drop = (why: string) => {
      log(`medium: dropping radio ${port ? formatMac(port.mac) : '(no HELLO)'}: ${why}`);
      socket.destroy();
    };
    socket.on('data', (chunk) => {
      let messages;
      try {
        messages = decoder.push(chunk);
      } catch (error) {
        drop(expectDecodeError(error).message);
        return;
      }
      for (const m of messages) {
        if (m.type === LinkType.Hello && !port) {
          port = this.medium.attach({ mac: m.mac, channel: m.channel, name: m.name }, (frame, info) => {
            if (!socket.destroyed) socket.write(encodeLink({ type: LinkType.Rx, channel: info.channel, transmitter: info.transmitter, frame }));
          });
          log(`medium: radio ${m.name || '?'} ${formatMac(m.mac)} on channel ${m.channel}`);
        } else if (m.type === LinkType.Tx && port) {
          port.send(m.frame);
        } else if (m.type === LinkType.Channel && port) {
          port.setChannel(m.channel);
        } else {
          drop(`unexpected ${LinkType[m.type]} message`);
          return;
        }
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
