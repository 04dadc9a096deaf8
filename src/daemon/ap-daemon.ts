/**
 * `onboard ap`: the AP/Registrar side, as hostapd. One Registrar per WPS-enabled BSS, hostapd's
 * command table and events; the process wrapper (src/cli/ap.ts) gives it sockets and a link.
 */
import type { CommandContext } from '../ctrl/server-core.js';
import type { AuthenticatorEvent } from '../eap/index.js';
import type { HostapdBss, HostapdConf, HostapdConfig } from '../config/index.js';
import { ConfigError as ConfigProblem, hostapdOptionStatus, parseHostapdConf, registrarOptionsFromHostapd } from '../config/index.js';
import type { Scheduler } from '../sim/scheduler.js';
import { ssidText } from '../util/bytes.js';
import { BROADCAST_MAC, formatMac, isMacText, parseMac } from '../util/mac.js';
import { ReasonCode } from '../ieee80211/frames.js';
import type { Logger } from '../util/logger.js';
import { systemRng } from '../util/rng.js';
import type { DhKeyPairSource, KeyAgreementService, RegistrarEvent } from '../wsc/index.js';
import { ConfigError, Registrar } from '../wsc/index.js';
import { pmkFromPassphrase } from '../wpa/index.js';
import { ApWpsControl } from './ap-wps.js';
import { expectOnboardError, isErrnoError } from '../util/errors.js';
import { channelFrequency, channelInMode, frequencyChannel } from './channels.js';

export interface ApStation {
  mac: Buffer;
  since: number;
  flags: string[];
  /** Association ID on a radio (none on the wired link). */
  aid?: number;
  /** The WDS interface of a station in four-address mode by `wds_sta` (hostapd prints it as wds_sta_ifname). */
  wdsIfname?: string;
}

export interface StationRemoval {
  /** Which frame tells the station (DEAUTHENTICATE / DISASSOCIATE); none with `tx=0`. */
  frame: 'deauthentication' | 'disassociation' | null;
  reason: number;
}

export interface ApLinkHooks {
  /**
   * Disconnect a station of BSS `bss` (DEAUTHENTICATE, DISASSOCIATE): the link drops its port or
   * association. ff:ff:ff:ff:ff:ff means every station of the BSS.
   */
  removeStation?(bss: number, mac: Buffer, how: StationRemoval): void;
  /**
   * hostapd_flush_old_stations on every BSS: a broadcast Deauthentication with `reason` where
   * `broadcast_deauth` is on, then every station entry freed (RELOAD, SIGHUP, DISABLE).
   */
  flushStations?(reason: number): void;
  /** The BSSs take new settings (same BSSs, same order) after a flush. */
  reconfigure?(config: HostapdConfig): void;
  /** DISABLE / ENABLE: the BSSs leave the air and come back. */
  setEnabled?(enabled: boolean): void;
  /** STOP_AP: BSS `bss` alone stops beaconing (the driver's stop_ap); RELOAD/ENABLE restart it. */
  stopBss?(bss: number): void;
  /** The radio's channel now (sim driver); undefined on the wired link. */
  channel?(): number;
  /**
   * CHAN_SWITCH: announce the move in Beacons and Probe Responses for `count` beacon intervals,
   * then move. Undefined where the driver cannot switch (the wired link).
   */
  switchChannel?(count: number, channel: number, done: () => void): void;
}

export interface ApDaemonOptions {
  confPath: string;
  config: HostapdConfig;
  /** MAC address of each BSS, in config order (the interface MAC for the first). */
  bssMacs: Buffer[];
  scheduler: Scheduler;
  /** An event line of BSS `bss` (0: the first; each BSS has its own control socket). */
  emit: (text: string, level?: number, bss?: number) => void;
  /** Debug log (key material masked unless the logger shows keys). */
  logger?: Logger;
  /** The file, re-read on SIGHUP (reloadConfig). */
  readConf?: () => Promise<Buffer>;
  /** The lines of the running file, which SET edits in memory as hostapd edits its in-memory configuration. */
  conf?: HostapdConf;
  onTerminate?: () => void;
  /** Called for every Registrar event of BSS `index` (new PSKs, AP self-configuration). */
  onRegistrarEvent?: (index: number, event: RegistrarEvent) => void;
  /** Fresh DH key pairs computed ahead of time (dh-key-pool.ts); default: each run computes its own. */
  keyPairs?: DhKeyPairSource;
  /** Where overlapping runs compute their key agreements (key-agreement-workers.ts); default: each on this thread at M1. */
  keyAgreement?: KeyAgreementService;
}

interface BssState {
  bss: HostapdBss;
  mac: Buffer;
  registrar: Registrar | null;
  /** The PSK as hostapd derived it when the BSS was set up (a later SET of ssid does not change it). */
  psk: Buffer | undefined;
  wps: ApWpsControl | null;
  stations: Map<string, ApStation>;
}

/** hostapd_ctrl_iface_chan_switch's arguments we act on (hostapd_parse_csa_settings). */
interface ChannelSwitchRequest {
  count: number;
  freq: number;
}

export class ApDaemon {
  private bsses: BssState[] = [];
  private config!: HostapdConfig;
  /** The in-memory configuration SET edits; RELOAD and ENABLE apply it. */
  private editable: HostapdConf | null;
  private enabled = true;
  private switching = false;
  link: ApLinkHooks = {};

  constructor(private readonly options: ApDaemonOptions) {
    this.editable = options.conf?.clone() ?? null;
    this.load(options.config);
  }

  private load(config: HostapdConfig): void {
    this.install(config, this.build(config));
  }

  /**
   * A configuration applied at run time (RELOAD, SIGHUP, ENABLE): false, with the reason logged and
   * nothing changed, when its Registrars cannot be built (e.g. device settings the WSC core refuses).
   */
  private tryBuild(config: HostapdConfig): BssState[] | null {
    try {
      return this.build(config);
    } catch (error) {
      this.options.logger?.error(expectOnboardError(error).message);
      return null;
    }
  }

  private install(config: HostapdConfig, built: BssState[]): void {
    for (const b of this.bsses) b.wps?.close();
    this.bsses = built;
    this.config = config;
  }

  /** The per-BSS state of a configuration; the station tables carry over. Throws OnboardErrors. */
  private build(config: HostapdConfig): BssState[] {
    const previous = this.bsses;
    return config.bss.map((bss, index) => {
      const mac = this.options.bssMacs[index] ?? this.options.bssMacs[0]!;
      const registrarOptions = registrarOptionsFromHostapd(bss, config.radio, { macAddress: mac });
      const registrar = registrarOptions ? new Registrar({ ...registrarOptions, rng: systemRng, ...(this.options.keyPairs ? { keyPairs: this.options.keyPairs } : {}), ...(this.options.keyAgreement ? { keyAgreement: this.options.keyAgreement } : {}) }) : null;
      const wps = registrar
        ? new ApWpsControl(registrar, this.options.scheduler, (text) => this.options.emit(text, 3, index), (event) => {
            if (event.type === 'fail' && event.configError === ConfigError.DevPasswordAuthFailure) {
              // hostapd logs its AP PIN failures by number; ours counts every PIN mismatch, detected
              // by either side (events are read after the run's step, so the count includes this one).
              this.options.logger?.debug(`WPS: PIN mismatch with ${event.peerMac ? formatMac(event.peerMac) : 'the Enrollee'} (config error 18), PIN failures counted: ${registrar.lockout.failureCount}`);
            }
            this.options.onRegistrarEvent?.(index, event);
          })
        : null;
      const psk = bss.wpaPsk ?? (bss.wpaPassphrase !== undefined && bss.ssid ? pmkFromPassphrase(bss.wpaPassphrase, bss.ssid) : undefined);
      return { bss, mac, registrar, wps, psk, stations: previous[index]?.stations ?? new Map<string, ApStation>() };
    });
  }

  /** The running configuration (after RELOAD, SIGHUP, CHAN_SWITCH). */
  get runningConfig(): HostapdConfig {
    return this.config;
  }

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

  /** Interface names of the BSSs, in configuration order: one control socket each. */
  get ifnames(): string[] {
    return this.bsses.map((b) => b.bss.iface ?? '');
  }

  private emit(index: number, text: string, level = 3): void {
    this.options.emit(text, level, index);
  }

  /** EAP authenticator events of BSS `index` as hostapd prints them; also keeps the station table. */
  authenticatorEvent(index: number, event: AuthenticatorEvent): void {
    const state = this.bsses[index];
    if (!state) return;
    // Most events of a frame (wsc-message, frame-ignored, ...) print nothing: the address text is made where it is used.
    switch (event.type) {
      case 'port-created':
        state.stations.set(formatMac(event.peer), { mac: Buffer.from(event.peer), since: this.options.scheduler.now(), flags: ['[AUTH]', '[ASSOC]'] });
        break;
      case 'port-removed':
        state.stations.delete(formatMac(event.peer));
        break;
      case 'eap-started':
        this.emit(index, `CTRL-EVENT-EAP-STARTED ${formatMac(event.peer)}`);
        break;
      case 'identity':
        this.emit(index, `CTRL-EVENT-EAP-PROPOSED-METHOD vendor=0 method=1`);
        break;
      case 'method-proposed':
        this.emit(index, `CTRL-EVENT-EAP-PROPOSED-METHOD vendor=14122 method=254`);
        break;
      case 'eap-failure':
        this.emit(index, `CTRL-EVENT-EAP-FAILURE ${formatMac(event.peer)}`);
        break;
      case 'retransmit':
        this.emit(index, `CTRL-EVENT-EAP-RETRANSMIT ${formatMac(event.peer)}`, 2);
        break;
      case 'timeout':
        this.emit(index, `CTRL-EVENT-EAP-TIMEOUT-FAILURE ${formatMac(event.peer)}`);
        break;
      default:
        break;
    }
  }

  /** A station joined or left on a radio link (AP-STA-CONNECTED / AP-STA-DISCONNECTED). */
  stationConnected(index: number, mac: Buffer, flags: string[], aid?: number): void {
    const state = this.bsses[index];
    if (!state) return;
    state.stations.set(formatMac(mac), { mac: Buffer.from(mac), since: this.options.scheduler.now(), flags, ...(aid !== undefined ? { aid } : {}) });
    this.emit(index, `AP-STA-CONNECTED ${formatMac(mac)}`);
  }

  stationDisconnected(index: number, mac: Buffer): void {
    const state = this.bsses[index];
    if (state?.stations.delete(formatMac(mac))) this.emit(index, `AP-STA-DISCONNECTED ${formatMac(mac)}`);
  }

  /** The per-station WDS interface came or went (drv_callbacks.c hostapd_event_wds_sta_interface_status). */
  wdsInterface(index: number, change: 'added' | 'removed', ifname: string, mac: Buffer, wds = false): void {
    const station = this.bsses[index]?.stations.get(formatMac(mac));
    if (station && wds && change === 'added') {
      // WLAN_STA_WDS: [WDS] comes after [WPS] in ap_sta_flags_txt, last of the flags we print.
      if (!station.flags.includes('[WDS]')) station.flags.push('[WDS]');
      station.wdsIfname = ifname;
    }
    this.emit(index, `WDS-STA-INTERFACE-${change === 'added' ? 'ADDED' : 'REMOVED'} ifname=${ifname} sta_addr=${formatMac(mac)}`);
  }

  /** A command on the control socket of BSS `index` (hostapd opens DIR/<ifname> for every BSS). */
  handle(ctx: CommandContext, index = 0): Promise<string> {
    return Promise.resolve(this.dispatch(ctx, index));
  }

  private dispatch(ctx: CommandContext, index: number): string {
    const { command, raw, args } = ctx;
    const state = this.bsses[index];
    if (!state) return 'FAIL\n';
    const wpsReply = state.wps?.command(command, raw);
    if (wpsReply !== undefined && wpsReply !== null) return wpsReply;
    if (!state.wps && command.startsWith('WPS_')) return 'FAIL\n';
    switch (command) {
      case 'STATUS':
        return this.status();
      case 'GET_CONFIG':
        return this.getConfig(state);
      case 'STA':
        return this.staInfo(state, args[0], 'exact');
      case 'STA-FIRST':
        return this.staInfo(state, undefined, 'first');
      case 'STA-NEXT':
        return this.staInfo(state, args[0], 'next');
      case 'ALL_STA':
        // hostapd_cli builds all_sta from STA-FIRST/STA-NEXT; answered here too for scripts that send it.
        return [...state.stations.values()].map((s) => this.formatStation(s)).join('');
      case 'DEAUTHENTICATE':
      case 'DISASSOCIATE':
        return this.removeStation(index, command, args);
      case 'SET':
        // hostapd matches "SET " and "CHAN_SWITCH " with their space: alone they are unknown.
        if (raw.length <= 'SET'.length) return 'UNKNOWN COMMAND\n';
        return this.set(index, raw.slice('SET '.length));
      case 'RELOAD':
        return this.reload() ? 'OK\n' : 'FAIL\n';
      case 'ENABLE':
        return this.enable() ? 'OK\n' : 'FAIL\n';
      case 'DISABLE':
        return this.disable() ? 'OK\n' : 'FAIL\n';
      case 'STOP_AP':
        // hostapd_drv_stop_ap: a driver without stop_ap (wired) does nothing and the answer is OK.
        this.link.stopBss?.(index);
        return 'OK\n';
      case 'CHAN_SWITCH':
        if (raw.length <= 'CHAN_SWITCH'.length) return 'UNKNOWN COMMAND\n';
        return this.channelSwitch(args);
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
   * the AP does not know, and ff:ff:ff:ff:ff:ff removes every station of the BSS.
   */
  private removeStation(index: number, command: string, args: readonly string[]): string {
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
    this.link.removeStation?.(index, mac, { frame, reason });
    const everyone = mac.equals(BROADCAST_MAC);
    const stations = this.bsses[index]!.stations;
    for (const station of [...stations.values()]) if (everyone || station.mac.equals(mac)) this.stationDisconnected(index, station.mac);
    return 'OK\n';
  }

  /** hostapd_flush_old_stations on every BSS; stations the link did not report are dropped too. */
  private flushStations(reason: number): void {
    this.link.flushStations?.(reason);
    this.bsses.forEach((b, i) => {
      for (const station of [...b.stations.values()]) this.stationDisconnected(i, station.mac);
    });
  }

  /**
   * SET <name> <value> (hostapd_ctrl_iface_set → hostapd_set_iface): the option goes into the
   * in-memory configuration of this BSS through the file parser, then the whole configuration is
   * checked; anything refused leaves it as it was. As in hostapd, most options take effect at the
   * next RELOAD or ENABLE.
   */
  private set(index: number, text: string): string {
    const space = text.indexOf(' ');
    if (space < 0 || !this.editable) return 'FAIL\n';
    const name = text.slice(0, space);
    // The BSS list is fixed while running (hostapd's ADD/REMOVE of the global interface change it).
    if (name === 'interface' || name === 'bss') return 'FAIL\n';
    const value = text.slice(space + 1);
    const edited = this.editable.clone();
    try {
      edited.setOption(index, name, value);
    } catch (error) {
      if (!(error instanceof ConfigProblem)) throw error;
      this.options.logger?.info(`Failed to set configuration field '${name}' to value '${value}': ${error.message}`);
      return 'FAIL\n';
    }
    const checked = edited.check();
    if (checked.errors.length > 0) {
      this.options.logger?.error(`Configuration check failed: ${checked.errors[0]!.message}`);
      return 'FAIL\n';
    }
    if (hostapdOptionStatus(name) === 'unimplemented') this.options.logger?.info(`SET ${name}: accepted but not implemented by onboard; it has no effect`);
    this.editable = edited;
    // hostapd edits its configuration in place: GET_CONFIG and STATUS show the new value at once,
    // while what is on the air (and WPS) changes at RELOAD or ENABLE.
    this.config = checked.config;
    checked.config.bss.forEach((bss, i) => {
      if (this.bsses[i]) this.bsses[i].bss = bss;
    });
    return 'OK\n';
  }

  /**
   * RELOAD (hostapd_reload_iface): no file is read; the in-memory configuration (with any SET) is
   * applied after hostapd_clear_old deauthenticated every station with reason 2.
   */
  private reload(): boolean {
    const config = this.editable ? this.editable.check().config : this.config;
    return this.apply(config);
  }

  /**
   * SIGHUP (hostapd_reload_config): the file is read again and applied the same way; the channel
   * stays where it is, as hostapd keeps the old one. A bad file is refused and nothing changes.
   */
  async reloadConfig(): Promise<boolean> {
    if (!this.options.readConf) return false;
    let text: Buffer;
    try {
      text = await this.options.readConf();
    } catch (error) {
      if (!isErrnoError(error)) throw error;
      this.options.logger?.error(`cannot read ${this.options.confPath}: ${error.message}`);
      return false;
    }
    return this.reloadFrom(text);
  }

  /** SIGHUP's work once the file is read: `text` checked and applied, or refused with nothing changed. */
  reloadFrom(text: Buffer): boolean {
    const parsed = parseHostapdConf(text, { file: this.options.confPath });
    if (parsed.errors.length > 0) {
      for (const e of parsed.errors) this.options.logger?.error(e.message);
      return false;
    }
    const config = parsed.config;
    config.radio.channel = this.config.radio.channel;
    config.radio.acs = this.config.radio.acs;
    if (!this.apply(config)) return false;
    this.editable = parsed.conf.clone();
    return true;
  }

  private apply(config: HostapdConfig): boolean {
    if (config.bss.length !== this.bsses.length || config.bss.some((b, i) => b.iface !== this.bsses[i]!.bss.iface)) {
      // hostapd then removes the interface and sets it up again; our drivers keep their BSSs.
      this.options.logger?.error('Reloading: the BSSs (bss= sections or interface names) changed; restart the daemon to apply that');
      return false;
    }
    const built = this.tryBuild(config);
    if (!built) return false;
    if (this.enabled) this.flushStations(ReasonCode.PrevAuthNotValid);
    this.install(config, built);
    this.link.reconfigure?.(config);
    return true;
  }

  /** DISABLE (hostapd_disable_iface): AP-DISABLED, every station deauthenticated (reason 3), off the air. */
  private disable(): boolean {
    if (!this.enabled) return false;
    this.emit(0, 'AP-DISABLED ');
    this.flushStations(ReasonCode.DeauthLeaving);
    this.link.setEnabled?.(false);
    this.enabled = false;
    return true;
  }

  /** ENABLE (hostapd_enable_iface): the in-memory configuration is checked and set up; AP-ENABLED. */
  private enable(): boolean {
    if (this.enabled) return false;
    if (this.editable) {
      const checked = this.editable.check();
      if (checked.errors.length > 0) {
        this.options.logger?.info('Invalid configuration - cannot enable');
        return false;
      }
      const config = checked.config;
      if (config.bss.length !== this.bsses.length) return false;
      const built = this.tryBuild(config);
      if (!built) return false;
      this.install(config, built);
      this.link.reconfigure?.(config);
    }
    this.link.setEnabled?.(true);
    this.enabled = true;
    this.emit(0, 'AP-ENABLED ');
    return true;
  }

  /**
   * CHAN_SWITCH <cs_count> <freq> [options] (hostapd_ctrl_iface_chan_switch): every BSS announces
   * the new channel, then the radio moves; CTRL-EVENT-STARTED-CHANNEL-SWITCH, then
   * CTRL-EVENT-CHANNEL-SWITCH and AP-CSA-FINISHED on every BSS. FAIL where the driver cannot
   * switch, for a frequency outside the configured band and while a switch is under way.
   */
  private channelSwitch(args: readonly string[]): string {
    const request = parseChannelSwitch(args);
    if (!request || !this.link.switchChannel || !this.enabled || this.switching) return 'FAIL\n';
    const channel = frequencyChannel(request.freq);
    if (channel === null || !channelInMode(channel, this.config.radio.hwMode)) return 'FAIL\n';
    this.switching = true;
    const details = (freq: number) => `freq=${freq} ht_enabled=0 ch_offset=0 ch_width=20 MHz (no HT) cf1=${freq} cf2=0 dfs=0`;
    this.bsses.forEach((_, i) => this.emit(i, `CTRL-EVENT-STARTED-CHANNEL-SWITCH ${details(request.freq)}`));
    this.link.switchChannel(request.count, channel, () => {
      this.switching = false;
      this.config.radio.channel = channel;
      this.bsses.forEach((_, i) => {
        this.emit(i, `CTRL-EVENT-CHANNEL-SWITCH ${details(request.freq)}`);
        this.emit(i, `AP-CSA-FINISHED freq=${request.freq} dfs=0`);
      });
    });
    return 'OK\n';
  }

  /** The operating channel: the radio's, else the configured one. */
  private channel(): number {
    return this.link.channel?.() ?? this.config.radio.channel ?? 0;
  }

  private status(): string {
    const channel = this.channel();
    const freq = this.link.channel ? channelFrequency(channel) : 0;
    // hostapd_ctrl_iface_status, for a radio without HT/VHT/HE and without DFS.
    // The wired driver has no phy (hostapd prints it empty); the radio is named after its first BSS.
    const phy = this.link.channel ? (this.bsses[0]?.bss.iface ?? '') : '';
    let out = `state=${this.enabled ? 'ENABLED' : 'DISABLED'}\nphy=${phy}\nfreq=${freq}\n`;
    out += 'num_sta_non_erp=0\nnum_sta_no_short_slot_time=0\nnum_sta_no_short_preamble=0\nolbc=0\nnum_sta_ht_no_gf=0\nnum_sta_no_ht=0\n';
    out += 'num_sta_ht_20_mhz=0\nnum_sta_ht40_intolerant=0\nolbc_ht=0\nht_op_mode=0x0\ncac_time_seconds=0\ncac_time_left_seconds=N/A\n';
    out += `channel=${channel}\nedmg_enable=0\nedmg_channel=0\nsecondary_channel=0\nieee80211n=0\nieee80211ac=0\nieee80211ax=0\nbeacon_int=100\ndtim_period=2\n`;
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
    // hostapd_ctrl_iface_get_config prints key material only while WPS is enabled on the BSS.
    const showKeys = bss.wps.state !== 0 && bss.wpa !== 0;
    if (showKeys && bss.wpaPassphrase !== undefined) lines.push(`passphrase=${bss.wpaPassphrase}`);
    const psk = state.psk;
    if (showKeys && psk) lines.push(`psk=${psk.toString('hex')}`);
    if (bss.multiApConfig.role) {
      lines.push(`multi_ap=${bss.multiApConfig.role}`);
      if (bss.multiApConfig.backhaulSsid) lines.push(`multi_ap_backhaul_ssid=${ssidText(bss.multiApConfig.backhaulSsid)}`);
      if (showKeys && bss.multiApConfig.backhaulPassphrase !== undefined) lines.push(`multi_ap_backhaul_wpa_passphrase=${bss.multiApConfig.backhaulPassphrase}`);
      if (showKeys && bss.multiApConfig.backhaulPsk) lines.push(`multi_ap_backhaul_wpa_psk=${bss.multiApConfig.backhaulPsk.toString('hex')}`);
      // Beyond the reference (2.11 keeps these to itself): what the BSS's Multi-AP element says and enforces.
      const { profile, clientDisallow, vlanId } = bss.multiApConfig;
      lines.push(`multi_ap_profile=${profile}`, `multi_ap_client_disallow=${clientDisallow}`, `multi_ap_vlanid=${vlanId}`);
    }
    if (bss.wpa) {
      lines.push(`wpa=${bss.wpa}`, `key_mgmt=${bss.wpaKeyMgmt.join(' ')}`);
      const ciphers = [...(bss.wpa & 1 ? bss.wpaPairwise : []), ...(bss.wpa & 2 ? bss.rsnPairwise : [])];
      lines.push(`group_cipher=${ciphers.includes('TKIP') ? 'TKIP' : 'CCMP'}`);
      if (bss.wpa & 2) lines.push(`rsn_pairwise_cipher=${bss.rsnPairwise.join(' ')}`);
      if (bss.wpa & 1) lines.push(`wpa_pairwise_cipher=${bss.wpaPairwise.join(' ')}`);
    }
    return lines.map((l) => l + '\n').join('');
  }

  private formatStation(s: ApStation): string {
    const seconds = Math.floor((this.options.scheduler.now() - s.since) / 1000);
    const aid = s.aid !== undefined ? `aid=${s.aid}\n` : '';
    const wds = s.wdsIfname !== undefined ? `wds_sta_ifname=${s.wdsIfname}\n` : '';
    return `${formatMac(s.mac)}\nflags=${s.flags.join('')}\n${aid}connected_time=${seconds}\n${wds}`;
  }

  private staInfo(state: BssState, macText: string | undefined, mode: 'exact' | 'first' | 'next'): string {
    const all = [...state.stations.values()];
    if (mode === 'first') return all[0] ? this.formatStation(all[0]) : '';
    if (!macText || !isMacText(macText)) return 'FAIL\n';
    const mac = parseMac(macText);
    const at = all.findIndex((s) => s.mac.equals(mac));
    if (mode === 'exact') return at >= 0 ? this.formatStation(all[at]!) : 'FAIL\n';
    if (at < 0) return 'FAIL\n';
    const next = all[at + 1];
    return next ? this.formatStation(next) : '';
  }

  /** The BSSs are up (hostapd_setup_interface_complete): AP-ENABLED. */
  start(): void {
    this.emit(0, 'AP-ENABLED ');
  }

  /**
   * Termination as hostapd_interface_deinit does it: every station deauthenticated (reason 3,
   * broadcast), AP-DISABLED and CTRL-EVENT-TERMINATING on every BSS. Then close().
   */
  shutdown(): void {
    if (this.enabled) this.flushStations(ReasonCode.DeauthLeaving);
    this.bsses.forEach((_, i) => {
      if (this.enabled) this.emit(i, 'AP-DISABLED ');
      this.emit(i, 'CTRL-EVENT-TERMINATING ');
    });
    this.enabled = false;
  }

  close(): void {
    for (const b of this.bsses) b.wps?.close();
  }
}

/** `CHAN_SWITCH <cs_count> <freq> [sec_channel_offset=..] [center_freq1=..] ... [blocktx] [ht|vht|he]`. */
function parseChannelSwitch(args: readonly string[]): ChannelSwitchRequest | null {
  const [countText, freqText] = args;
  if (!countText || !freqText || !/^\d+$/.test(countText) || !/^\d+$/.test(freqText)) return null;
  const count = Number(countText);
  const freq = Number(freqText);
  if (count > 255 || freq === 0) return null;
  return { count, freq };
}
