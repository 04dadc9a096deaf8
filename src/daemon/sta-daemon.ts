/**
 * `onboard sta`: the Enrollee side, as wpa_supplicant. This object holds the configuration, the
 * network list with wpa_supplicant's network ids, the WPS operation and the command table of the
 * control interface; the process wrapper (src/cli/sta.ts) gives it a socket and a link.
 */
import type { WscHandler } from '../eap/wsc-handler.js';
import type { CommandContext } from '../ctrl/server-core.js';
import { CTRL_REPLY_SIZE } from '../ctrl/server-core.js';
import type { WpaSupplicantConf } from '../config/index.js';
import { STA_SECRET_NETWORK_FIELDS, applyWpsCredentials, deviceInfoFromWpaSupplicant, m1VendorExtensions, parseWpaSupplicantConf, writeFileAtomic } from '../config/index.js';
import { formatUuid } from '../config/values.js';
import type { Scheduler } from '../sim/scheduler.js';
import { ssidText } from '../util/bytes.js';
import { formatMac } from '../util/mac.js';
import { Logger, LogLevel, parseLogLevelName } from '../util/logger.js';
import { systemRng } from '../util/rng.js';
import type { DeviceInfo } from '../wsc/index.js';
import { generatePin } from '../wsc/index.js';
import { checkPinReply } from './ap-wps.js';
import type { WpsRequest, WpsSuccess } from './sta-wps.js';
import { StaWpsOperation, parseWpsArgs } from './sta-wps.js';

/** What the STA daemon needs from its link (wired port or radio). */
import type { BssEntry } from './scan-results.js';
import { formatScanResults } from './scan-results.js';
import { expectOnboardError } from '../util/errors.js';

export interface StaLink {
  /** One registration attempt of a WPS operation (a radio also needs the request: method, BSSID, multi_ap). */
  startAttempt(handler: WscHandler, request?: WpsRequest): void;
  stopAttempt(): void;
  /** The network to use after WPS or SELECT_NETWORK (a radio associates with it; a wired port has nothing to do). */
  connect?(networkIndex: number, network?: LinkNetwork): void;
  disconnect?(): void;
  /** SCAN: false when the link is busy (already scanning, or connecting). Links without scans have none. */
  scan?(): boolean;
  /** What SCAN_RESULTS lists. */
  scanResults?(): BssEntry[];
  /** The link's own state for STATUS; a link without one (wired) is described by the daemon. */
  linkStatus?(): LinkStatus;
}

export interface LinkStatus {
  wpaState: string;
  bssid?: Buffer;
  frequency?: number;
  ssid?: Buffer;
  pairwiseCipher?: string;
  groupCipher?: string;
  keyMgmt?: string;
}

/** What a link needs to know of a network block to connect with it. */
export interface LinkNetwork {
  id: number;
  ssid: Buffer;
  passphrase?: string;
  psk?: Buffer;
  multiApBackhaulSta: boolean;
}

export interface StaDaemonOptions {
  ifname: string;
  confPath: string;
  conf: WpaSupplicantConf;
  macAddress: Buffer;
  scheduler: Scheduler;
  link: StaLink;
  /** A control-interface event line (`<3>` level). */
  emit: (text: string, level?: number) => void;
  /** Debug log (key material masked unless the logger shows keys). */
  logger?: Logger;
  /** Reads the configuration file again (RECONFIGURE). */
  readConf?: () => Promise<Buffer>;
  /** Write through a custom function (tests inject crashes here); default: atomic file write. */
  writeConf?: (path: string, data: Buffer) => Promise<void>;
  onTerminate?: () => void;
}

/** Values GET_NETWORK reports for fields left at their defaults. */
const NETWORK_DEFAULTS: Record<string, string> = {
  key_mgmt: 'WPA-PSK WPA-EAP',
  proto: 'WPA RSN',
  pairwise: 'CCMP TKIP',
  group: 'CCMP TKIP',
  priority: '0',
  disabled: '0',
  scan_ssid: '0',
  multi_ap_backhaul_sta: '0',
};

export class StaDaemon {
  private conf: WpaSupplicantConf;
  /** wpa_supplicant network ids, parallel to the config's network blocks (a removed id is never reused). */
  private ids: number[];
  private device: DeviceInfo;
  private wps: StaWpsOperation | null = null;
  private currentNetwork: number | null = null;
  /** Set by DISCONNECT (wpa_s->disconnected): the id of the network left, for RECONNECT. */
  private disconnectedId: number | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly options: StaDaemonOptions) {
    this.conf = options.conf;
    this.ids = this.conf.networkBlocks.map((_, i) => i);
    this.device = this.buildDevice();
  }

  private buildDevice(): DeviceInfo {
    return deviceInfoFromWpaSupplicant(this.conf.globals, { macAddress: this.options.macAddress, rng: systemRng });
  }

  /** The WPS device attributes from the configuration (UUID, names, config methods). */
  get deviceInfo(): DeviceInfo {
    return this.device;
  }

  get config(): WpaSupplicantConf {
    return this.conf;
  }

  get wpsActive(): boolean {
    return this.wps?.active ?? false;
  }

  /** Waits for configuration writes in flight (tests, shutdown). */
  async settled(): Promise<void> {
    await this.saving;
  }

  private indexOfId(text: string | undefined): number {
    if (text === undefined || !/^\d+$/.test(text)) return -1;
    return this.ids.indexOf(Number(text));
  }

  /** The control interface command table; returns the reply text. */
  async handle(ctx: CommandContext): Promise<string> {
    const { command, args, raw } = ctx;
    switch (command) {
      case 'STATUS':
        return this.status();
      case 'WPS_PBC':
      case 'WPS_PIN':
        return this.startWps(command === 'WPS_PBC' ? 'pbc' : 'pin', args);
      case 'WPS_CANCEL':
        if (this.wps?.active) this.wps.cancel();
        else this.options.emit('WPS-CANCEL ');
        return 'OK\n';
      case 'WPS_CHECK_PIN':
        return checkPinReply(raw.slice('WPS_CHECK_PIN'.length));
      case 'LIST_NETWORKS':
        return this.listNetworks(args[0]);
      case 'ADD_NETWORK':
        return this.addNetwork();
      case 'SET_NETWORK':
        return this.setNetwork(raw);
      case 'GET_NETWORK':
        return this.getNetwork(args);
      case 'REMOVE_NETWORK':
        return this.removeNetwork(args[0]);
      case 'ENABLE_NETWORK':
      case 'DISABLE_NETWORK':
        return this.enableNetwork(args[0], command === 'ENABLE_NETWORK');
      case 'SELECT_NETWORK':
        return this.selectNetwork(args[0]);
      case 'SAVE_CONFIG':
        return (await this.save(true)) ? 'OK\n' : 'FAIL\n';
      case 'RECONFIGURE':
        return this.reconfigure();
      case 'DISCONNECT':
        this.options.link.disconnect?.();
        if (this.currentNetwork !== null) this.disconnectedId = this.ids[this.currentNetwork] ?? null;
        this.currentNetwork = null;
        return 'OK\n';
      case 'RECONNECT':
        return this.reconnect();
      case 'SCAN':
        // The wired driver cannot scan; wpa_supplicant -Dwired answers FAIL too.
        if (!this.options.link.scan) return 'FAIL\n';
        return this.options.link.scan() ? 'OK\n' : 'FAIL-BUSY\n';
      case 'SCAN_RESULTS':
        return formatScanResults(this.options.link.scanResults?.() ?? [], this.options.macAddress);
      case 'GET':
        return this.getGlobal(args[0]);
      case 'SET':
        return this.setGlobal(raw);
      case 'LOG_LEVEL':
        return this.logLevelCommand(args);
      case 'TERMINATE':
        this.options.scheduler.schedule(0, () => this.options.onTerminate?.());
        return 'OK\n';
      default:
        return 'UNKNOWN COMMAND\n';
    }
  }

  /**
   * STATUS in wpa_supplicant's order: the association (bssid, freq, ssid, id, mode, ciphers,
   * key_mgmt) once associated, then wpa_state, address, uuid. A radio reports its own state; on the
   * wired link the daemon's view stands in for it.
   */
  private status(): string {
    const link = this.options.link.linkStatus?.();
    const wiredState = this.wps?.active ? 'AUTHENTICATING' : this.currentNetwork !== null ? 'COMPLETED' : 'DISCONNECTED';
    const network = this.currentNetwork !== null ? this.conf.networks[this.currentNetwork] : undefined;
    let out = '';
    if (link?.bssid) out += `bssid=${formatMac(link.bssid)}\nfreq=${link.frequency ?? 0}\n`;
    const ssid = link ? link.ssid : network?.ssid;
    if (ssid) {
      out += `ssid=${ssidText(ssid)}\n`;
      if (network && this.currentNetwork !== null && !this.wps?.active) out += `id=${this.ids[this.currentNetwork]}\n`;
      out += 'mode=station\n';
    }
    if (link?.pairwiseCipher) out += `pairwise_cipher=${link.pairwiseCipher}\ngroup_cipher=${link.groupCipher ?? link.pairwiseCipher}\n`;
    if (link?.keyMgmt) out += `key_mgmt=${link.keyMgmt}\n`;
    if (network?.multiApBackhaulSta && (!link || link.wpaState === 'COMPLETED')) out += 'multi_ap_backhaul_sta=1\n';
    out += `wpa_state=${link?.wpaState ?? wiredState}\naddress=${formatMac(this.options.macAddress)}\nuuid=${formatUuid(this.device.uuid)}\n`;
    return out;
  }

  private startWps(kind: 'pbc' | 'pin', args: string[]): string {
    const parsed = parseWpsArgs(kind, args);
    if (!parsed) return 'FAIL\n';
    this.wps?.cancel();
    const pin = kind === 'pin' ? (parsed.pin ?? generatePin(systemRng)) : undefined;
    const request: WpsRequest = {
      method: pin !== undefined ? { kind: 'pin', pin } : { kind: 'pbc' },
      bssid: parsed.bssid,
      ...(parsed.multiAp !== undefined ? { multiAp: parsed.multiAp } : {}),
    };
    this.wps = new StaWpsOperation(
      request,
      {
        device: this.device,
        scheduler: this.options.scheduler,
        credentialHex: this.conf.globals.wpsCredProcessing !== 0,
        ...(m1VendorExtensions(this.conf.globals) ? { m1VendorExtensions: m1VendorExtensions(this.conf.globals)! } : {}),
        hooks: {
          event: (text) => this.options.emit(text),
          startAttempt: (handler) => this.options.link.startAttempt(handler, request),
          stopAttempt: () => this.options.link.stopAttempt(),
          succeeded: (result) => this.wpsSucceeded(result),
          ended: () => {},
        },
      },
    );
    // WPS_PIN answers with the PIN in use (generated when none was given), without a newline.
    return pin !== undefined ? pin : 'OK\n';
  }

  /** Credentials become network blocks (marked multi_ap_backhaul_sta=1 for a backhaul run), saved with update_config=1. */
  private wpsSucceeded(result: WpsSuccess): void {
    const logger = this.options.logger;
    for (const { credential } of result.credentials) {
      logger?.debug(`WPS: Received credential: SSID ${JSON.stringify(credential.ssid.toString('latin1'))} auth 0x${credential.authType.toString(16)} encr 0x${credential.encrType.toString(16)}${result.multiApBackhaulSta ? ' (Multi-AP backhaul)' : ''}`);
      logger?.key('WPS: Network Key', credential.networkKey);
    }
    const before = this.conf.networkBlocks.slice();
    let applied;
    try {
      applied = applyWpsCredentials(this.conf, result.credentials.map((c) => c.credential), {
        multiApBackhaulSta: result.multiApBackhaulSta,
        // 2.10 has no multi_ap_profile and refuses unknown network fields: written only for profile 2+
        // (post-2.10 syntax), so a Profile-1 file stays readable by the reference.
        ...(result.multiApProfile !== undefined && result.multiApProfile > 1 && result.multiApBackhaulSta ? { multiApProfile: result.multiApProfile } : {}),
      });
    } catch (error) {
      this.options.logger?.warning(`WPS: credential not usable: ${expectOnboardError(error).message}`);
      return;
    }
    this.remapIds(before);
    if (applied.added.length === 0) return;
    const first = applied.added[0]!;
    this.currentNetwork = first;
    if (this.conf.globals.updateConfig === 1) void this.save(false);
    this.options.link.connect?.(first, this.linkNetwork(first));
  }

  private linkNetwork(index: number): LinkNetwork | undefined {
    const n = this.conf.networks[index];
    if (!n?.ssid) return undefined;
    return {
      id: this.ids[index]!,
      ssid: n.ssid,
      ...(n.psk?.kind === 'passphrase' ? { passphrase: n.psk.passphrase } : n.psk?.kind === 'psk' ? { psk: n.psk.psk } : {}),
      multiApBackhaulSta: n.multiApBackhaulSta,
    };
  }

  /** Keeps ids of surviving blocks; new blocks get fresh ids (max + 1, as the reference). */
  private remapIds(before: readonly unknown[]): void {
    const oldIds = new Map(before.map((block, i) => [block, this.ids[i]!]));
    let next = this.ids.length > 0 ? Math.max(...this.ids) + 1 : 0;
    this.ids = this.conf.networkBlocks.map((block) => oldIds.get(block) ?? next++);
  }

  /**
   * As wpa_supplicant: the list stops where the 4096-byte reply buffer is full, and
   * `LIST_NETWORKS LAST_ID=<id>` continues after network <id> (how long lists are paged).
   */
  /** Holds the LOG_LEVEL setting when the daemon runs without a debug log. */
  private readonly ownLogger = new Logger({ level: LogLevel.Info, showKeys: false, sink: () => {} });

  /** LOG_LEVEL [<level> [<timestamp 0|1>]] (wpa_supplicant_ctrl_iface_log_level). */
  private logLevelCommand(args: string[]): string {
    const logger = this.options.logger ?? this.ownLogger;
    if (!args[0]) return `Current level: ${logger.levelName}\nTimestamp: ${logger.timestamps ? 1 : 0}\n`;
    const parsed = parseLogLevelName(args[0]);
    if (!parsed) return 'FAIL\n';
    logger.setLevel(parsed.name, parsed.level, args[1] !== undefined ? Number.parseInt(args[1], 10) !== 0 : undefined);
    return 'OK\n';
  }

  private listNetworks(arg: string | undefined): string {
    let out = 'network id / ssid / bssid / flags\n';
    const lastId = arg?.startsWith('LAST_ID=') ? Number.parseInt(arg.slice(8), 10) : -1;
    for (let i = 0; i < this.conf.networks.length; i++) {
      const n = this.conf.networks[i]!;
      if (lastId !== -1 && this.ids[i]! <= lastId) continue;
      const flags = [i === this.currentNetwork ? '[CURRENT]' : '', n.disabled === 1 ? '[DISABLED]' : ''].join('');
      const line = `${this.ids[i]}\t${n.ssid ? ssidText(n.ssid) : ''}\t${n.bssid ? formatMac(n.bssid) : 'any'}\t${flags}\n`;
      if (Buffer.byteLength(out + line) > CTRL_REPLY_SIZE - 1) break;
      out += line;
    }
    return out;
  }

  private addNetwork(): string {
    const before = this.conf.networkBlocks.slice();
    // A new network starts disabled, as ADD_NETWORK does in the reference.
    this.conf.addNetwork([{ name: 'disabled', value: '1' }]);
    this.remapIds(before);
    return `${this.ids[this.ids.length - 1]}\n`;
  }

  private setNetwork(raw: string): string {
    const m = /^SET_NETWORK (\d+) (\S+) (.*)$/s.exec(raw);
    if (!m) return 'FAIL\n';
    const index = this.indexOfId(m[1]);
    if (index < 0) return 'FAIL\n';
    try {
      this.conf.setNetworkField(index, m[2]!, m[3]!);
      return 'OK\n';
    } catch (error) {
      expectOnboardError(error);
      return 'FAIL\n';
    }
  }

  private getNetwork(args: string[]): string {
    const index = this.indexOfId(args[0]);
    const name = args[1];
    const block = this.conf.networkBlocks[index];
    if (index < 0 || !block || !name) return 'FAIL\n';
    const line = [...block.lines].reverse().find((l) => l.kind === 'field' && l.name === name);
    if (line && line.kind === 'field') return STA_SECRET_NETWORK_FIELDS.has(name) ? '*' : Buffer.from(line.value, 'latin1').toString('utf8');
    return NETWORK_DEFAULTS[name] ?? 'FAIL\n';
  }

  private removeNetwork(idText: string | undefined): string {
    if (idText === 'all') {
      for (let i = this.conf.networkBlocks.length - 1; i >= 0; i--) this.conf.removeNetwork(i);
      this.ids = [];
      this.currentNetwork = null;
      return 'OK\n';
    }
    const index = this.indexOfId(idText);
    if (index < 0) return 'FAIL\n';
    this.conf.removeNetwork(index);
    this.ids.splice(index, 1);
    if (this.currentNetwork === index) this.currentNetwork = null;
    else if (this.currentNetwork !== null && this.currentNetwork > index) this.currentNetwork--;
    return 'OK\n';
  }

  private enableNetwork(idText: string | undefined, enable: boolean): string {
    const targets = idText === 'all' ? this.ids.map((_, i) => i) : [this.indexOfId(idText)];
    if (targets.some((i) => i < 0)) return 'FAIL\n';
    try {
      for (const i of targets) this.conf.setNetworkField(i, 'disabled', enable ? null : '1');
    } catch (error) {
      expectOnboardError(error);
      return 'FAIL\n';
    }
    return 'OK\n';
  }

  /**
   * RECONNECT acts only after DISCONNECT, as in the reference: back to the network that was left
   * if it still exists and is enabled, else to the first enabled network.
   */
  private reconnect(): string {
    if (this.disconnectedId === null || this.currentNetwork !== null) return 'OK\n';
    const enabled = (i: number) => i >= 0 && this.conf.networks[i]?.disabled !== 1;
    const previous = this.ids.indexOf(this.disconnectedId);
    const index = enabled(previous) ? previous : this.conf.networks.findIndex((_, i) => enabled(i));
    this.disconnectedId = null;
    if (index < 0) return 'OK\n';
    this.currentNetwork = index;
    this.options.link.connect?.(index, this.linkNetwork(index));
    return 'OK\n';
  }

  private selectNetwork(idText: string | undefined): string {
    const index = this.indexOfId(idText);
    if (index < 0) return 'FAIL\n';
    try {
      this.conf.networkBlocks.forEach((_, i) => this.conf.setNetworkField(i, 'disabled', i === index ? null : '1'));
    } catch (error) {
      expectOnboardError(error);
      return 'FAIL\n';
    }
    this.currentNetwork = index;
    this.disconnectedId = null;
    this.options.link.connect?.(index, this.linkNetwork(index));
    return 'OK\n';
  }

  private getGlobal(name: string | undefined): string {
    if (!name) return 'FAIL\n';
    const item = [...this.conf.items].reverse().find((i) => i.kind === 'global' && i.name === name);
    if (item && item.kind === 'global') return Buffer.from(item.value, 'latin1').toString('utf8');
    if (name === 'uuid') return formatUuid(this.device.uuid);
    return 'FAIL\n';
  }

  private setGlobal(raw: string): string {
    const m = /^SET (\S+) (.*)$/s.exec(raw);
    if (!m) return 'FAIL\n';
    try {
      this.conf.setGlobal(m[1]!, m[2]!);
    } catch (error) {
      expectOnboardError(error);
      return 'FAIL\n';
    }
    this.device = this.buildDevice();
    return 'OK\n';
  }

  private async reconfigure(): Promise<string> {
    if (!this.options.readConf) return 'FAIL\n';
    let text: Buffer;
    try {
      text = await this.options.readConf();
    } catch {
      return 'FAIL\n';
    }
    const parsed = parseWpaSupplicantConf(text, { file: this.options.confPath });
    if (parsed.errors.length > 0) {
      for (const e of parsed.errors) this.options.logger?.error(e.message);
      return 'FAIL\n';
    }
    this.wps?.cancel();
    this.conf = parsed.config;
    this.ids = this.conf.networkBlocks.map((_, i) => i);
    this.currentNetwork = null;
    this.device = this.buildDevice();
    return 'OK\n';
  }

  /**
   * Writes the configuration, keeping the user's comments and unknown lines, atomically with mode
   * 0600. `explicit`: SAVE_CONFIG, which fails with update_config=0 as the reference does.
   */
  private async save(explicit: boolean): Promise<boolean> {
    if (explicit && this.conf.globals.updateConfig !== 1) return false;
    const data = this.conf.toBuffer();
    const write = this.options.writeConf ?? ((path, bytes) => writeFileAtomic(path, bytes, { mode: 0o600 }));
    const attempt = this.saving.then(() => write(this.options.confPath, data));
    this.saving = attempt.catch(() => {});
    try {
      await attempt;
      return true;
    } catch (error) {
      this.options.logger?.error(`Failed to update configuration file ${this.options.confPath}: ${(error as Error).message}`);
      return false;
    }
  }
}
