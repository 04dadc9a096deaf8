/**
 * Unix datagram sockets (Node has none) through the native part, and the request/reply client the
 * reference CLIs implement (wpa_ctrl.c): bind an own socket, send the command, skip unsolicited
 * event datagrams (`<L>…`), return the first reply or null after the timeout.
 */
import { unlinkSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReaderHandle } from '../drivers/addon.js';
import { loadAddon, READ_UNIX } from '../drivers/addon.js';
import { OnboardError, expectErrnoError } from '../util/errors.js';

/** errno value -> name; the first name wins where two share a value (EAGAIN, not EWOULDBLOCK). */
const ERRNO_NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(constants.errno)) if (!ERRNO_NAMES.has(value)) ERRNO_NAMES.set(value, name);

export class UnixDgramSocket {
  private reader: ReaderHandle | null;
  private readonly listeners: ((data: Buffer, from: string) => void)[] = [];

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {
    this.reader = loadAddon().startReading(fd, READ_UNIX, (data, from) => {
      for (const listener of this.listeners) listener(data, from);
    });
  }

  /** Binds a new socket at `path` (which must not exist: EADDRINUSE). The file is the caller's to remove. */
  static bind(path: string): UnixDgramSocket {
    if (path === '') throw new OnboardError('ctrl-path', 'UnixDgramSocket.bind: empty path (use unbound())');
    return new UnixDgramSocket(path, loadAddon().unixOpen(path));
  }

  /** A socket without an address: it can send, but nobody can answer it (receivers see from = ''). */
  static unbound(): UnixDgramSocket {
    return new UnixDgramSocket('', loadAddon().unixOpen(''));
  }

  onMessage(listener: (data: Buffer, from: string) => void): void {
    this.listeners.push(listener);
  }

  /** true when sent; otherwise the errno name (the peer is gone, or its queue is full). */
  sendTo(path: string, data: Buffer): true | string {
    if (!this.reader) return 'EBADF';
    const errno = loadAddon().unixSendTo(this.fd, path, data);
    return errno === 0 ? true : (ERRNO_NAMES.get(errno) ?? `errno ${errno}`);
  }

  /**
   * Sets the kernel send and/or receive buffer sizes (SO_SNDBUF / SO_RCVBUF, bytes); returns the
   * sizes in effect, which Linux reports doubled and caps at net.core.wmem_max / rmem_max.
   */
  setBuffers(sizes: { send?: number; receive?: number }): { send: number; receive: number } {
    if (!this.reader) throw new OnboardError('ctrl-closed', `${this.path || 'unbound socket'}: setBuffers after close`);
    return loadAddon().setBuffers(this.fd, sizes.send ?? 0, sizes.receive ?? 0);
  }

  /** Whether this socket keeps the process alive (a daemon's does; a client's need not). */
  ref(): void {
    if (this.reader) loadAddon().setRef(this.reader, true);
  }

  unref(): void {
    if (this.reader) loadAddon().setRef(this.reader, false);
  }

  /** Closes the socket (safe twice). The file is the owner's to remove. */
  close(): void {
    if (this.reader) loadAddon().stopReading(this.reader);
    this.reader = null;
  }
}

let requestCounter = 0;

/**
 * One request to a control socket: the reply text, or null when none came within the timeout.
 * Throws when the socket cannot be reached at all (ENOENT, ECONNREFUSED).
 */
export async function ctrlRequest(socketPath: string, command: string, options: { timeoutMs?: number } = {}): Promise<string | null> {
  const own = join(tmpdir(), `onboard_ctrl_${process.pid}-${++requestCounter}`);
  try {
    unlinkSync(own);
  } catch (error) {
    // Nothing left over under this name.
    expectErrnoError(error);
  }
  const socket = UnixDgramSocket.bind(own);
  try {
    return await new Promise<string | null>((resolve, reject) => {
      const deadline = setTimeout(() => finish(null), options.timeoutMs ?? 10_000);
      let retry: NodeJS.Timeout | null = null;
      const finish = (reply: string | null, error?: Error) => {
        clearTimeout(deadline);
        if (retry) clearTimeout(retry);
        if (error) reject(error);
        else resolve(reply);
      };
      socket.onMessage((data) => {
        const text = data.toString('utf8');
        if (text.startsWith('<') || text.startsWith('IFNAME=')) return;
        finish(text);
      });
      // A full receive queue at the daemon (EAGAIN) is waited out, as the reference's blocking send would.
      const send = () => {
        retry = null;
        const sent = socket.sendTo(socketPath, Buffer.from(command, 'utf8'));
        if (sent === 'EAGAIN') retry = setTimeout(send, 5);
        else if (sent !== true) finish(null, Object.assign(new Error(`${socketPath}: ${sent}`), { code: sent }));
      };
      send();
    });
  } finally {
    socket.close();
    try {
      unlinkSync(own);
    } catch (error) {
      // Already removed.
      expectErrnoError(error);
    }
  }
}
