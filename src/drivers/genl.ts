/**
 * Generic netlink over the native addon's AF_NETLINK socket, and the medium's bridge to
 * mac80211_hwsim radios on top of it. Messages are built and parsed by src/netlink; this file
 * only opens the socket, matches answers to requests by sequence number and gives up after a time.
 */
import type { FamilyInfo, NetlinkMessage } from '../netlink/netlink.js';
import { NETLINK_GENERIC, NLMSG_DONE, NLMSG_ERROR, decodeAck, decodeFamily, decodeNetlinkMessages, encodeNetlinkMessage, getFamilyRequest } from '../netlink/netlink.js';
import { HWSIM_FAMILY_NAME, getRadiosRequest, registerRequest } from '../netlink/hwsim.js';
import { HwsimBridge } from '../sim/hwsim-bridge.js';
import type { Medium } from '../sim/medium.js';
import { OnboardError, expectDecodeError, isErrnoError } from '../util/errors.js';
import type { ReaderHandle } from './addon.js';
import { READ_NETLINK, loadAddon } from './addon.js';
const REQUEST_TIMEOUT_MS = 5000;

const ERRNO_NAMES: Record<number, string> = { 1: 'EPERM', 2: 'ENOENT', 16: 'EBUSY', 22: 'EINVAL', 95: 'EOPNOTSUPP' };

interface Pending {
  replies: NetlinkMessage[];
  resolve: (replies: NetlinkMessage[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  what: string;
}

export class GenericNetlinkSocket {
  private readonly pending = new Map<number, Pending>();
  private seq = Math.floor(Date.now() / 1000) & 0xffff;
  private readonly handle: ReaderHandle;
  /** Messages that answer no request of ours (the hwsim family's frames, notices). */
  onUnsolicited: (datagram: Buffer, overrun: boolean) => void = () => {};

  private constructor(
    private readonly fd: number,
    readonly portId: number,
  ) {
    const addon = loadAddon();
    this.handle = addon.startReading(fd, READ_NETLINK, (data, from) => this.datagram(data, from));
  }

  /** Throws OnboardError `netlink-unavailable` when this kernel (or container) has no generic netlink. */
  static open(receiveBuffer = 4 << 20): GenericNetlinkSocket {
    const addon = loadAddon();
    if (typeof addon.netlinkOpen !== 'function') {
      throw new OnboardError('native-stale', 'the native addon predates netlink support; rebuild it with `npm run build:addon`');
    }
    let opened;
    try {
      opened = addon.netlinkOpen(NETLINK_GENERIC);
    } catch (error) {
      if (!isErrnoError(error)) throw error;
      throw new OnboardError('netlink-unavailable', `generic netlink is not available here: ${error.message}`);
    }
    addon.setBuffers(opened.fd, 0, receiveBuffer);
    return new GenericNetlinkSocket(opened.fd, opened.portId);
  }

  nextSeq(): number {
    this.seq = this.seq >= 0xffffffff ? 1 : this.seq + 1;
    return this.seq;
  }

  /** 0 or an errno value. */
  send(message: Buffer): number {
    return loadAddon().netlinkSend(this.fd, message);
  }

  /**
   * Sends a request built with `seq` and collects its answers up to the acknowledgement (NLM_F_ACK),
   * the end of a dump (NLMSG_DONE) or the single reply of a plain request; a kernel error rejects
   * with OnboardError `netlink-error` naming the errno.
   */
  request(build: (seq: number) => Buffer, what: string, until: 'ack' | 'done' | 'reply'): Promise<NetlinkMessage[]> {
    const seq = this.nextSeq();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new OnboardError('netlink-timeout', `${what}: no answer from the kernel within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      const entry: Pending = {
        replies: [],
        resolve: (replies) => {
          clearTimeout(timer);
          this.pending.delete(seq);
          resolve(replies);
        },
        reject: (error) => {
          clearTimeout(timer);
          this.pending.delete(seq);
          reject(error);
        },
        timer,
        what,
      };
      this.pending.set(seq, entry);
      const errno = this.send(build(seq));
      if (errno !== 0) entry.reject(new OnboardError('netlink-error', `${what}: send failed with errno ${errno}`));
      else if (until === 'reply') this.untilReply.add(seq);
      else if (until === 'done') this.untilDone.add(seq);
    });
  }

  private readonly untilReply = new Set<number>();
  private readonly untilDone = new Set<number>();

  async resolveFamily(name: string): Promise<FamilyInfo> {
    try {
      const [reply] = await this.request((seq) => getFamilyRequest(name, seq), `generic netlink family ${name}`, 'reply');
      return decodeFamily(reply!);
    } catch (error) {
      if (error instanceof OnboardError && /ENOENT/.test(error.message)) {
        throw new OnboardError('genl-family-missing', `the kernel has no generic netlink family ${name}`);
      }
      throw error;
    }
  }

  close(): void {
    for (const p of this.pending.values()) p.reject(new OnboardError('netlink-closed', `${p.what}: socket closed`));
    loadAddon().stopReading(this.handle);
  }

  setRef(ref: boolean): void {
    loadAddon().setRef(this.handle, ref);
  }

  private datagram(data: Buffer, from: string): void {
    if (data.length === 0) {
      this.onUnsolicited(data, from === 'ENOBUFS');
      return;
    }
    let messages: NetlinkMessage[];
    try {
      messages = decodeNetlinkMessages(data);
    } catch (error) {
      expectDecodeError(error);
      this.onUnsolicited(data, false);
      return;
    }
    const first = messages[0];
    const entry = first ? this.pending.get(first.seq) : undefined;
    if (!first || !entry) {
      this.onUnsolicited(data, false);
      return;
    }
    const seq = first.seq;
    for (const message of messages) {
      if (message.type === NLMSG_ERROR) {
        const ack = decodeAck(message);
        if (ack.error === 0) entry.resolve(entry.replies);
        else entry.reject(new OnboardError('netlink-error', `${entry.what}: the kernel answered ${ERRNO_NAMES[-ack.error] ?? `errno ${-ack.error}`}`));
        this.untilReply.delete(seq);
        this.untilDone.delete(seq);
        return;
      }
      if (message.type === NLMSG_DONE) {
        this.untilDone.delete(seq);
        entry.resolve(entry.replies);
        return;
      }
      entry.replies.push(message);
    }
    if (this.untilReply.delete(seq)) entry.resolve(entry.replies);
  }
}

export interface HwsimAttachment {
  bridge: HwsimBridge;
  close(): void;
}

/**
 * Registers with mac80211_hwsim as the medium of its radios and puts each of them on `medium`.
 * Errors say what is missing: no generic netlink, no mac80211_hwsim module loaded, or another
 * medium (wmediumd) already registered.
 */
export async function attachHwsim(medium: Medium, log: (line: string) => void = () => {}): Promise<HwsimAttachment> {
  const socket = GenericNetlinkSocket.open();
  try {
    let family;
    try {
      family = await socket.resolveFamily(HWSIM_FAMILY_NAME);
    } catch (error) {
      if (error instanceof OnboardError && error.code === 'genl-family-missing') {
        throw new OnboardError('hwsim-missing', 'mac80211_hwsim is not loaded (no MAC80211_HWSIM generic netlink family): run `modprobe mac80211_hwsim radios=N` (the kernel needs mac80211)');
      }
      throw error;
    }
    const bridge = new HwsimBridge({ medium, family: family.id, send: (m) => socket.send(m), log });
    socket.onUnsolicited = (datagram, overrun) => bridge.receive(datagram, overrun);
    try {
      await socket.request((seq) => registerRequest(family.id, seq), 'HWSIM_CMD_REGISTER', 'ack');
    } catch (error) {
      if (error instanceof OnboardError && /EBUSY/.test(error.message)) {
        throw new OnboardError('hwsim-busy', 'another medium (wmediumd?) is already registered with mac80211_hwsim');
      }
      throw error;
    }
    const radios = await socket.request((seq) => getRadiosRequest(family.id, seq), 'HWSIM_CMD_GET_RADIO dump', 'done');
    for (const reply of radios) bridge.receive(encodeNetlinkMessage(reply));
    log(`hwsim: registered as the medium of ${bridge.radioAddresses.length} mac80211_hwsim radios (family ${family.id}, port ${socket.portId})`);
    return {
      bridge,
      close: () => {
        bridge.close();
        socket.close();
      },
    };
  } catch (error) {
    socket.close();
    throw error;
  }
}

