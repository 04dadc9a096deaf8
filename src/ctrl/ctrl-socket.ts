/**
 * The control interface on its Unix datagram socket at `DIR/IFNAME`
 * (wpa_supplicant/ctrl_iface_unix.c wpas_ctrl_iface_open_sock, hostapd/ctrl_iface.c
 * hostapd_ctrl_iface_init), serving a CtrlServerCore: one request datagram in, one reply datagram
 * back to the sender's address, and events to attached clients. As the references do, a socket file
 * left by a crashed daemon is detected (nobody answers on it) and replaced; a live one makes
 * start-up fail.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isSecretSetting } from '../config/secret-fields.js';
import { OnboardError, expectErrnoError, expectOperationalError, isErrnoError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { CtrlServerCore } from './server-core.js';
import { ctrlRequest, UnixDgramSocket } from './unix-dgram.js';

export interface CtrlSocketOptions {
  dir: string;
  ifname: string;
  /** Group (name or number) that may use the socket: the directory gets it and mode 0770. */
  group?: string;
  core: CtrlServerCore;
  log?: Logger;
}

export class CtrlSocketServer {
  private closed = false;
  /**
   * An unbound socket that replies and events go out through whenever the client takes datagrams
   * from any sender. A datagram stays charged to the socket that sent it until the client reads
   * it, so clients that never read can fill only this socket, which is then replaced, and never
   * the control socket, which clients connected to it (wpa_ctrl_open: wpa_cli, hostapd_cli) take
   * datagrams from exclusively. wpa_supplicant 2.10 sends from its control socket: there such
   * clients make it hold back every event, and its remedy (wpas_ctrl_iface_reinit) cuts off the
   * connected clients.
   */
  private relay: UnixDgramSocket;

  private constructor(
    readonly path: string,
    private socket: UnixDgramSocket,
    private readonly options: CtrlSocketOptions,
    private readonly gid: number | undefined,
  ) {
    this.listen(socket);
    this.relay = CtrlSocketServer.newRelay();
  }

  private listen(socket: UnixDgramSocket): void {
    socket.onMessage((data, from) => void this.request(data, from));
  }

  private static newRelay(): UnixDgramSocket {
    const relay = UnixDgramSocket.unbound();
    relay.unref();
    return relay;
  }

  static async open(options: CtrlSocketOptions): Promise<CtrlSocketServer> {
    const { dir, ifname } = options;
    if (ifname === '' || ifname.includes('/')) throw new OnboardError('ctrl-path', `control interface name "${ifname}" is not a file name`);
    // As the references create it: owner and group only, whatever the umask.
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true, mode: 0o770 });
      chmodSync(dir, 0o770);
    }
    const gid = options.group !== undefined ? groupId(options.group) : undefined;
    if (gid !== undefined) {
      chownSync(dir, -1, gid);
      chmodSync(dir, 0o770);
    }
    const path = join(dir, ifname);
    if (existsSync(path)) await removeStaleSocket(path, options.log);
    const socket = bindControl(path, gid);
    options.log?.debug(`ctrl_interface: listening on ${path}`);
    return new CtrlSocketServer(path, socket, options, gid);
  }

  private async request(data: Buffer, from: string): Promise<void> {
    const { core, log } = this.options;
    const reply = await core.request(from, data);
    if (this.closed) return;
    if (log) log.debug(`CTRL_IFACE: ${from || '(unbound client)'}: ${log.showKeys ? data.toString('utf8') : redactCommand(data.toString('utf8'))}`);
    // An unbound client cannot be answered; the reference drops the reply the same way.
    if (from === '') return;
    const { sent, controlFull } = this.send(from, Buffer.from(reply, 'utf8'), { renewed: false });
    // A client connected to the control socket cannot be answered while it waits for the answer:
    // the socket's send buffer is full of datagrams other connected clients do not read.
    if (controlFull) this.reopenControl(sent);
    // As the reference: a monitor that cannot get the answer to its ATTACH is not kept.
    if (sent !== true && /^ATTACH\b/i.test(data.toString('latin1'))) core.detach(from);
  }

  /**
   * A new control socket at the same path, as wpas_ctrl_iface_reinit does: the datagrams stuck
   * at clients that never read stay charged to the old one. Clients connected to the old socket
   * must connect again (wpa_cli does when its PING fails); everybody else is served at once.
   */
  private reopenControl(reason: true | string): void {
    this.socket.close();
    try {
      unlinkSync(this.path);
    } catch (error) {
      // Already gone: bound again below.
      if (!isErrnoError(error) || error.code !== 'ENOENT') throw error;
    }
    this.socket = bindControl(this.path, this.gid);
    this.listen(this.socket);
    this.options.log?.warning(`ctrl_interface: ${this.path}: send buffer full of datagrams clients do not read (${String(reason)}); socket re-opened`);
  }

  /** Sends `<level>text` (with `IFNAME=<ifname> ` before it on a global socket) to every attached client whose level admits it. */
  event(level: number, text: string, ifname?: string): void {
    if (this.closed) return;
    const renew = { renewed: false };
    for (const { client, data } of this.options.core.event(level, text, ifname)) this.options.core.delivered(client, this.send(client, data, renew).sent);
  }

  /**
   * One datagram to a client: through the relay, replaced once per reply or event when it is full
   * (EAGAIN/ENOBUFS; the same errno for a client whose own queue is full, hence only once); through
   * the control socket for a client connected to it (EPERM from any other sender); `controlFull`
   * when that failed for want of buffer space.
   */
  private send(client: string, data: Buffer, renew: { renewed: boolean }): { sent: true | string; controlFull: boolean } {
    let sent = this.relay.sendTo(client, data);
    if ((sent === 'EAGAIN' || sent === 'ENOBUFS') && !renew.renewed) {
      renew.renewed = true;
      this.relay.close();
      this.relay = CtrlSocketServer.newRelay();
      this.options.log?.debug(`ctrl_interface: send failed (${sent}); new relay socket`);
      sent = this.relay.sendTo(client, data);
    }
    if (sent !== 'EPERM') return { sent, controlFull: false };
    sent = this.socket.sendTo(client, data);
    return { sent, controlFull: sent === 'EAGAIN' || sent === 'ENOBUFS' };
  }

  /** Stops serving and removes the socket file (SIGTERM, TERMINATE). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.relay.close();
    this.socket.close();
    try {
      unlinkSync(this.path);
    } catch (error) {
      // Already gone: nothing to clean.
      expectErrnoError(error);
    }
  }
}

/** The control socket at `path`: owner and group only, as the references create it. */
function bindControl(path: string, gid: number | undefined): UnixDgramSocket {
  const socket = UnixDgramSocket.bind(path);
  if (gid !== undefined) chownSync(path, -1, gid);
  chmodSync(path, 0o770);
  return socket;
}

/** A socket file nobody answers on is left over from a crashed run; a live daemon keeps its own. */
async function removeStaleSocket(path: string, log: Logger | undefined): Promise<void> {
  if (!statSync(path).isSocket()) throw new OnboardError('ctrl-path', `${path} exists and is not a socket; not replacing it`);
  let reply: string | null;
  try {
    reply = await ctrlRequest(path, 'PING', { timeoutMs: 1000 });
  } catch (error) {
    // Nobody listens on it (ECONNREFUSED): left over.
    expectOperationalError(error);
    reply = null;
  }
  if (reply !== null) throw new OnboardError('ctrl-in-use', `${path} is in use by a running daemon (it answered PING); not starting a second one`);
  log?.info(`ctrl_interface: removing stale socket ${path} left by an earlier run`);
  unlinkSync(path);
}

function groupId(group: string): number {
  if (/^\d+$/.test(group)) return Number(group);
  let text = '';
  try {
    text = readFileSync('/etc/group', 'utf8');
  } catch (error) {
    // No group file: the name is unknown, as below.
    expectErrnoError(error);
  }
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === group && gid !== undefined) return Number(gid);
  }
  throw new OnboardError('ctrl-group', `ctrl_interface group "${group}" does not exist`);
}

/** Commands that carry a PIN or a key are logged without it unless keys are shown. */
export function redactCommand(command: string): string {
  const [name = '', setting] = command.split(' ');
  const upper = name.toUpperCase();
  if (upper.startsWith('WPS_PIN') || upper.startsWith('WPS_AP_PIN') || upper.startsWith('WPS_CHECK_PIN')) return `${name} [REMOVED]`;
  // wpa_supplicant logs every SET_NETWORK this way, whatever the field (wpa_supplicant_ctrl_iface_process).
  if (upper === 'SET_NETWORK') return 'SET_NETWORK [REMOVED]';
  if (upper === 'SET' && setting !== undefined && isSecretSetting(setting)) return `${name} ${setting} [REMOVED]`;
  return command;
}
