/**
 * The request/reply and event side of the control interface, independent of the socket (facts
 * §9.1): clients are identified by their address (the path their datagram came from). Handles
 * PING, ATTACH, DETACH and LEVEL itself and hands everything else to the daemon's command table.
 * Bounded: requests over the reference's size limit are refused, attached clients are capped, and
 * a client whose events cannot be delivered is dropped rather than queued without end.
 */
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
  maxAttached?: number;
  /** Delivery failures in a row after which an attached client is dropped (the reference uses 10). */
  maxDeliveryFailures?: number;
  handle: CommandHandler;
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

  /** One request datagram -> the reply text (never throws: handler errors become FAIL). */
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
        } catch {
          return 'FAIL\n';
        }
    }
  }

  /** Datagrams to send for an event: `<level>text` to every client attached at or below `level`. */
  event(level: number, text: string): { client: string; data: Buffer }[] {
    const data = Buffer.from(`<${level}>${text}`);
    return [...this.attached.entries()].filter(([, a]) => level >= a.level).map(([client]) => ({ client, data }));
  }

  /** The transport reports each event delivery; persistent failures detach the client. */
  delivered(client: string, ok: boolean): void {
    const entry = this.attached.get(client);
    if (!entry) return;
    if (ok) entry.failures = 0;
    else if (++entry.failures >= (this.options.maxDeliveryFailures ?? 10)) this.attached.delete(client);
  }

  private attach(client: string, levelArg: string | undefined): Reply {
    if (!this.attached.has(client) && this.attached.size >= (this.options.maxAttached ?? 64)) return 'FAIL\n';
    const level = levelArg !== undefined && /^\d+$/.test(levelArg) ? Number(levelArg) : DEFAULT_EVENT_LEVEL;
    this.attached.set(client, { level, failures: 0 });
    return 'OK\n';
  }
}
