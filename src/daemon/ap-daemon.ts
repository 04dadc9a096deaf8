/**
 * `onboard ap`: the AP/Registrar side, as hostapd. One Registrar per WPS-enabled BSS, hostapd's
 * command table and events; the process wrapper (src/cli/ap.ts) gives it sockets and a link.
 */
import type { CommandContext } from '../ctrl/server-core.js';
import type { AuthenticatorEvent } from '../eap/index.js';
import type { HostapdBss, HostapdConfig } from '../config/index.js';
import { parseHostapdConf, registrarOptionsFromHostapd } from '../config/index.js';
import type { Scheduler } from '../sim/scheduler.js';
import { ssidText } from '../util/bytes.js';
import { BROADCAST_MAC, formatMac, isMacText, parseMac } from '../util/mac.js';
import { ReasonCode } from '../ieee80211/frames.js';
import type { Logger } from '../util/logger.js';
import { systemRng } from '../util/rng.js';
import type { RegistrarEvent } from '../wsc/index.js';
import { ConfigError, Registrar, pskFromPassphrase } from '../wsc/index.js';
import { ApWpsControl } from './ap-wps.js';
import { expectOnboardError } from '../util/errors.js';

export interface ApStation {
  mac: Buffer;
  since: number;
  flags: string[];
}

export interface StationRemoval {
  /** Which frame tells the station (DEAUTHENTICATE / DISASSOCIATE); none with `tx=0`. */
  frame: 'deauthentication' | 'disassociation' | null;
  reason: number;
}

export interface ApLinkHooks {
  /**
   * Disconnect a station (DEAUTHENTICATE, DISASSOCIATE): the link drops its port or association.
   * ff:ff:ff:ff:ff:ff means every station.
   */
  removeStation?(mac: Buffer, how: StationRemoval): void;
}

export interface ApDaemonOptions {
  confPath: string;
  config: HostapdConfig;
  /** MAC address of each BSS, in config order (the interface MAC for the first). */
  bssMacs: Buffer[];
  scheduler: Scheduler;
  emit: (text: string, level?: number) => void;
  /** Debug log (key material masked unless the logger shows keys). */
  logger?: Logger;
  readConf?: () => Promise<Buffer>;
  onTerminate?: () => void;
  /** Called for every Registrar event of BSS `index` (new PSKs, AP self-configuration). */
  onRegistrarEvent?: (index: number, event: RegistrarEvent) => void;
}

interface BssState {
  bss: HostapdBss;
  mac: Buffer;
  registrar: Registrar | null;
  wps: ApWpsControl | null;
  stations: Map<string, ApStation>;
}

export class ApDaemon {
  private bsses: BssState[] = [];
  link: ApLinkHooks = {};

  constructor(private readonly options: ApDaemonOptions) {
    this.load(options.config);
  }

  private load(config: HostapdConfig): void {
    for (const b of this.bsses) b.wps?.close();
    this.bsses = config.bss.map((bss, index) => {
      const mac = this.options.bssMacs[index] ?? this.options.bssMacs[0]!;
      const registrarOptions = registrarOptionsFromHostapd(bss, config.radio, { macAddress: mac });
      const registrar = registrarOptions ? new Registrar({ ...registrarOptions, rng: systemRng }) : null;
      const wps = registrar
        ? new ApWpsControl(registrar, this.options.scheduler, (text) => this.options.emit(text), (event) => {
            if (event.type === 'fail' && event.configError === ConfigError.DevPasswordAuthFailure) {
              // hostapd logs its AP PIN failures by number; ours counts every PIN mismatch, detected
              // by either side (events are read after the run's step, so the count includes this one).
              this.options.logger?.debug(`WPS: PIN mismatch with ${event.peerMac ? formatMac(event.peerMac) : 'the Enrollee'} (config error 18), PIN failures counted: ${registrar.lockout.failureCount}`);
            }
            this.options.onRegistrarEvent?.(index, event);
          })
        : null;
      return { bss, mac, registrar, wps, stations: new Map() };
    });
    this.config = config;
  }

  private config!: HostapdConfig;

  /** The Registrar of BSS `index` (null when WPS is off there). */
  registrar(index = 0): Registrar | null {
    return this.bsses[index]?.registrar ?? null;
  }

  /** Forwards Registrar events and re-arms its timers; the link calls it after each WSC message. */
  flushWps(index = 0): void {
    this.bsses[index]?.wps?.flush();
  }

  get bssCount(): number {
    return this.bsses.length;
  }

  /** EAP authenticator events of BSS `index` as hostapd prints them; also keeps the station table. */
  authenticatorEvent(index: number, event: AuthenticatorEvent): void {
    const state = this.bsses[index];
    if (!state) return;
    const mac = formatMac(event.peer);
    switch (event.type) {
      case 'port-created':
        state.stations.set(mac, { mac: Buffer.from(event.peer), since: this.options.scheduler.now(), flags: ['[AUTH]', '[ASSOC]'] });
        break;
      case 'port-removed':
        state.stations.delete(mac);
        break;
      case 'eap-started':
        this.options.emit(`CTRL-EVENT-EAP-STARTED ${mac}`);
        break;
      case 'identity':
        this.options.emit(`CTRL-EVENT-EAP-PROPOSED-METHOD vendor=0 method=1`);
        break;
      case 'method-proposed':
        this.options.emit(`CTRL-EVENT-EAP-PROPOSED-METHOD vendor=14122 method=254`);
        break;
      case 'eap-failure':
        this.options.emit(`CTRL-EVENT-EAP-FAILURE ${mac}`);
        break;
      case 'retransmit':
        this.options.emit(`CTRL-EVENT-EAP-RETRANSMIT ${mac}`, 2);
        break;
      case 'timeout':
        this.options.emit(`CTRL-EVENT-EAP-TIMEOUT-FAILURE ${mac}`);
        break;
      default:
        break;
    }
  }

  /** A station joined or left on a radio link (AP-STA-CONNECTED / AP-STA-DISCONNECTED). */
  stationConnected(index: number, mac: Buffer, flags: string[]): void {
    const state = this.bsses[index];
    if (!state) return;
    state.stations.set(formatMac(mac), { mac: Buffer.from(mac), since: this.options.scheduler.now(), flags });
    this.options.emit(`AP-STA-CONNECTED ${formatMac(mac)}`);
  }

  stationDisconnected(index: number, mac: Buffer): void {
    const state = this.bsses[index];
    if (state?.stations.delete(formatMac(mac))) this.options.emit(`AP-STA-DISCONNECTED ${formatMac(mac)}`);
  }

  async handle(ctx: CommandContext): Promise<string> {
    const { command, raw, args } = ctx;
    const first = this.bsses[0];
    if (!first) return 'FAIL\n';
    const wpsReply = first.wps?.command(command, raw);
    if (wpsReply !== undefined && wpsReply !== null) return wpsReply;
    if (!first.wps && command.startsWith('WPS_')) return 'FAIL\n';
    switch (command) {
      case 'STATUS':
        return this.status();
      case 'GET_CONFIG':
        return this.getConfig(first);
      case 'STA':
        return this.staInfo(args[0], 'exact');
      case 'STA-FIRST':
        return this.staInfo(undefined, 'first');
      case 'STA-NEXT':
        return this.staInfo(args[0], 'next');
      case 'ALL_STA':
        // hostapd_cli builds all_sta from STA-FIRST/STA-NEXT; answered here too for scripts that send it.
        return this.allStations().map((s) => this.formatStation(s)).join('');
      case 'DEAUTHENTICATE':
      case 'DISASSOCIATE':
        return this.removeStation(command, args);
      case 'RELOAD':
        return this.reload();
      case 'TERMINATE':
        this.options.scheduler.schedule(0, () => this.options.onTerminate?.());
        return 'OK\n';
      default:
        return 'UNKNOWN COMMAND\n';
    }
  }

  /**
   * DEAUTHENTICATE / DISASSOCIATE <addr> [reason=N] [tx=0], as hostapd's ctrl_iface_ap: the default
   * reason is 2 (previous authentication no longer valid), the frame goes out even to a station
   * the AP does not know, and ff:ff:ff:ff:ff:ff removes every station.
   */
  private removeStation(command: string, args: readonly string[]): string {
    const target = args[0];
    if (!target || !isMacText(target)) return 'FAIL\n';
    let reason: number = ReasonCode.PrevAuthNotValid;
    let transmit = true;
    for (const option of args.slice(1)) {
      if (option.startsWith('reason=')) {
        const value = option.slice('reason='.length);
        if (!/^\d{1,5}$/.test(value) || Number(value) > 0xffff) return 'FAIL\n';
        reason = Number(value);
      } else if (option === 'tx=0' && command === 'DEAUTHENTICATE') {
        transmit = false;
      }
    }
    const mac = parseMac(target);
    const frame = !transmit ? null : command === 'DEAUTHENTICATE' ? 'deauthentication' : 'disassociation';
    this.link.removeStation?.(mac, { frame, reason });
    const everyone = mac.equals(BROADCAST_MAC);
    for (let i = 0; i < this.bsses.length; i++) {
      const stations = this.bsses[i]!.stations;
      for (const station of [...stations.values()]) if (everyone || station.mac.equals(mac)) this.stationDisconnected(i, station.mac);
    }
    return 'OK\n';
  }

  private status(): string {
    const radio = this.config.radio;
    let out = `state=ENABLED\nphy=${this.bsses[0]?.bss.iface ?? ''}\nfreq=0\nchannel=${radio.channel ?? 0}\n`;
    this.bsses.forEach((b, i) => {
      out += `bss[${i}]=${b.bss.iface ?? ''}\nbssid[${i}]=${formatMac(b.mac)}\nssid[${i}]=${b.bss.ssid ? ssidText(b.bss.ssid) : ''}\nnum_sta[${i}]=${b.stations.size}\n`;
    });
    return out;
  }

  private getConfig(state: BssState): string {
    const { bss } = state;
    const lines = [`bssid=${formatMac(state.mac)}`, `ssid=${bss.ssid ? ssidText(bss.ssid) : ''}`];
    const wpsState = bss.wps.state === 0 ? 'disabled' : state.registrar?.wpsState === 1 ? 'not configured' : 'configured';
    lines.push(`wps_state=${wpsState}`);
    if (bss.wpa && bss.wpaPassphrase !== undefined) lines.push(`passphrase=${bss.wpaPassphrase}`);
    const psk = bss.wpaPsk ?? (bss.wpaPassphrase !== undefined && bss.ssid ? pskFromPassphrase(bss.wpaPassphrase, bss.ssid) : undefined);
    if (bss.wpa && psk) lines.push(`psk=${psk.toString('hex')}`);
    if (bss.multiAp.mode) lines.push(`multi_ap=${bss.multiAp.mode}`);
    if (bss.multiAp.backhaulSsid) lines.push(`multi_ap_backhaul_ssid=${ssidText(bss.multiAp.backhaulSsid)}`);
    if (bss.multiAp.backhaulPassphrase !== undefined) lines.push(`multi_ap_backhaul_wpa_passphrase=${bss.multiAp.backhaulPassphrase}`);
    if (bss.multiAp.backhaulPsk) lines.push(`multi_ap_backhaul_wpa_psk=${bss.multiAp.backhaulPsk.toString('hex')}`);
    if (bss.wpa) {
      lines.push(`wpa=${bss.wpa}`, `key_mgmt=${bss.wpaKeyMgmt.join(' ')}`);
      const ciphers = [...(bss.wpa & 1 ? bss.wpaPairwise : []), ...(bss.wpa & 2 ? bss.rsnPairwise : [])];
      lines.push(`group_cipher=${ciphers.includes('TKIP') ? 'TKIP' : 'CCMP'}`);
      if (bss.wpa & 2) lines.push(`rsn_pairwise_cipher=${bss.rsnPairwise.join(' ')}`);
      if (bss.wpa & 1) lines.push(`wpa_pairwise_cipher=${bss.wpaPairwise.join(' ')}`);
    }
    return lines.map((l) => l + '\n').join('');
  }

  private allStations(): ApStation[] {
    return this.bsses.flatMap((b) => [...b.stations.values()]);
  }

  private formatStation(s: ApStation): string {
    const seconds = Math.floor((this.options.scheduler.now() - s.since) / 1000);
    return `${formatMac(s.mac)}\nflags=${s.flags.join('')}\nconnected_time=${seconds}\n`;
  }

  private staInfo(macText: string | undefined, mode: 'exact' | 'first' | 'next'): string {
    const all = this.allStations();
    if (mode === 'first') return all[0] ? this.formatStation(all[0]) : '';
    if (!macText || !isMacText(macText)) return 'FAIL\n';
    const mac = parseMac(macText);
    const at = all.findIndex((s) => s.mac.equals(mac));
    if (mode === 'exact') return at >= 0 ? this.formatStation(all[at]!) : 'FAIL\n';
    if (at < 0) return 'FAIL\n';
    const next = all[at + 1];
    return next ? this.formatStation(next) : '';
  }

  private async reload(): Promise<string> {
    if (!this.options.readConf) return 'FAIL\n';
    let text: Buffer;
    try {
      text = await this.options.readConf();
    } catch (error) {
      // The file cannot be read (gone, no permission): the running configuration stays.
      this.options.logger?.error(`${this.options.confPath}: ${(error as Error).message}`);
      return 'FAIL\n';
    }
    const parsed = parseHostapdConf(text, { file: this.options.confPath });
    if (parsed.errors.length > 0) {
      for (const e of parsed.errors) this.options.logger?.error(e.message);
      return 'FAIL\n';
    }
    try {
      this.load(parsed.config);
    } catch (error) {
      this.options.logger?.error(expectOnboardError(error).message);
      return 'FAIL\n';
    }
    return 'OK\n';
  }

  close(): void {
    for (const b of this.bsses) b.wps?.close();
  }
}
