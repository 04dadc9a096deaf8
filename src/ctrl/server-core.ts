/**
 * The request/reply and event side of the control interface, independent of the socket
 * (wpa_supplicant/ctrl_iface_unix.c wpa_supplicant_ctrl_iface_receive, src/common/wpa_ctrl.h):
 * clients are identified by their address (the path their datagram came from). Handles PING,
 * ATTACH, DETACH and LEVEL itself and hands everything else to the daemon's command table. Bounded:
 * requests over the reference's size limit are refused, the table of attached clients is capped
 * (the failing ones make room; a new ATTACH is never refused), and a client whose events cannot be
 * delivered is detached rather than queued without end.
 */
import { OnboardError } from '../util/errors.js';

export type Reply = string;

export interface CommandContext {
  /** Client address (sender socket path). */
  client: string;
  command: string;
  /** Arguments split on single spaces, as the reference parses them. */
  args: string[];
  raw: string;
}

export type CommandHandler = (ctx: CommandContext) => Reply | Promise<Reply>;

export interface ServerCoreOptions {
  /** wpa_supplicant accepts 8192-byte requests, hostapd 4095. */
  maxRequestBytes: number;
  /**
   * Bound on the table of attached clients (memory only: the reference has none). A new ATTACH is
   * never refused; when the table is full, the monitor failing most (then the oldest) makes room.
   */
  maxAttached?: number;
  /** Send failures in a row an attached client may have; one more detaches it (the reference: 10). */
  maxDeliveryFailures?: number;
  handle: CommandHandler;
  /**
   * A bug in the command table (an exception that is not a typed error): the daemon logs and counts
   * it and the client gets FAIL. Without it the error propagates (tests, fuzz targets).
   */
  onInternalError?: (error: unknown, command: string) => void;
}

interface Attached {
  level: number;
  failures: number;
}

export const DEFAULT_EVENT_LEVEL = 3;

/** Reply buffer of both reference daemons (and of wpa_cli/hostapd_cli's receive): 4096 bytes. */
export const CTRL_REPLY_SIZE = 4096;

export class CtrlServerCore {
  private readonly attached = new Map<string, Attached>();

  constructor(private readonly options: ServerCoreOptions) {}

  get attachedClients(): string[] {
    return [...this.attached.keys()];
  }

  /** One request datagram -> the reply text: a typed error from the command table becomes FAIL, a bug is reported (or thrown). */
  async request(client: string, data: Buffer): Promise<Reply> {
    if (data.length > this.options.maxRequestBytes) return 'FAIL\n';
    // The references read a request as a C string: whatever follows a NUL is not part of it.
    const nul = data.indexOf(0);
    const raw = (nul >= 0 ? data.subarray(0, nul) : data).toString('utf8').replace(/\n$/, '');
    const [command = '', ...args] = raw.split(' ');
    switch (command.toUpperCase()) {
      case 'PING':
        return 'PONG\n';
      case 'ATTACH':
        return this.attach(client, args[0]);
      case 'DETACH':
        return this.attached.delete(client) ? 'OK\n' : 'FAIL\n';
      case 'LEVEL': {
        const entry = this.attached.get(client);
        const level = Number(args[0]);
        if (!entry || !Number.isInteger(level)) return 'FAIL\n';
        entry.level = level;
        return 'OK\n';
      }
      default:
        try {
          return await this.options.handle({ client, command: command.toUpperCase(), args, raw });
        } catch (error) {
          if (!(error instanceof OnboardError)) {
            if (!this.options.onInternalError) throw error;
            this.options.onInternalError(error, command.toUpperCase());
          }
          return 'FAIL\n';
        }
    }
  }

  /**
   * Datagrams to send for an event: `<level>text` to every client attached at or below `level`; on
   * wpa_supplicant's global socket an interface's event is `IFNAME=<ifname> <level>text`.
   */
  event(level: number, text: string, ifname?: string): { client: string; data: Buffer }[] {
    const data = Buffer.from(`${ifname !== undefined ? `IFNAME=${ifname} ` : ''}<${level}>${text}`);
    return [...this.attached.entries()].filter(([, a]) => level >= a.level).map(([client]) => ({ client, data }));
  }

  /**
   * The transport reports each event delivery: true, or the errno name of the failure. As
   * wpa_supplicant_ctrl_iface_send (2.10): a client whose socket is gone (ENOENT) or refused to us
   * (EPERM) is detached at once, any other client after more than 10 failures in a row.
   */
  delivered(client: string, outcome: true | string): void {
    const entry = this.attached.get(client);
    if (!entry) return;
    if (outcome === true) entry.failures = 0;
    else if (outcome === 'ENOENT' || outcome === 'EPERM' || ++entry.failures > (this.options.maxDeliveryFailures ?? 10)) this.attached.delete(client);
  }

  /** Drops an attached client (the reply to its ATTACH could not be sent, as the reference does). */
  detach(client: string): void {
    this.attached.delete(client);
  }

  private attach(client: string, levelArg: string | undefined): Reply {
    if (!this.attached.has(client) && this.attached.size >= (this.options.maxAttached ?? 1024)) this.makeRoom();
    const level = levelArg !== undefined && /^\d+$/.test(levelArg) ? Number(levelArg) : DEFAULT_EVENT_LEVEL;
    this.attached.set(client, { level, failures: 0 });
    return 'OK\n';
  }

  /** Removes the monitor with the most failures in a row; among equals, the one attached first. */
  private makeRoom(): void {
    let victim: string | undefined;
    let most = -1;
    for (const [client, entry] of this.attached) {
      if (entry.failures > most) {
        most = entry.failures;
        victim = client;
      }
    }
    if (victim !== undefined) this.attached.delete(victim);
  }
}
