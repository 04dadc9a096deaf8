/**
 * `onboard sta`: the Enrollee side, as wpa_supplicant. This object holds the configuration, the
 * network list with wpa_supplicant's network ids, the WPS operation and the command table of the
 * control interface; the process wrapper (src/cli/sta.ts) gives it a socket and a link.
 */
import type { WscHandler } from '../wsc/wsc-handler.js';
import type { CommandContext } from '../ctrl/server-core.js';
import { CTRL_REPLY_SIZE } from '../ctrl/server-core.js';
import type { NetworkBlock, NetworkFieldValue, WpaSupplicantConf, WpsApplyResult } from '../config/index.js';
import { STA_SECRET_NETWORK_FIELDS, applyWpsCredentials, deviceInfoFromWpaSupplicant, m1VendorExtensions, parseWpaSupplicantConf, writeFileAtomic } from '../config/index.js';
import { formatUuid } from '../config/values.js';
import type { Scheduler } from '../sim/scheduler.js';
import { ssidText } from '../util/bytes.js';
import { formatMac, isMacText, parseMac } from '../util/mac.js';
import { Logger, LogLevel, parseLogLevelName } from '../util/logger.js';
import { systemRng } from '../util/rng.js';
import type { DeviceInfo, DhKeyPairSource } from '../wsc/index.js';
import { DevicePasswordId, generatePin } from '../wsc/index.js';
import { WSC_ID_ENROLLEE } from '../eap/constants.js';
import { checkPinReply } from './ap-wps.js';
import { WiredAssociation } from './wired-association.js';
import type { WpsRequest, WpsSuccess } from './sta-wps.js';
import { StaWpsOperation, parseWpsArgs } from './sta-wps.js';

/** What the STA daemon needs from its link (wired port or radio). */
import type { BssEntry } from './scan-results.js';
import { formatScanResults } from './scan-results.js';
import { expectOnboardError, isErrnoError } from '../util/errors.js';
import type { BssRecord } from './bss-info.js';
import { bssCommand } from './bss-info.js';
import type { RadioCapability } from './sta-capability.js';
import { getCapability } from './sta-capability.js';
import type { TempDisableState } from './temp-disable.js';
import { recordAuthFailure, reenabledText, tempDisabledText } from './temp-disable.js';
import { BssidIgnoreList, bssidIgnoreCommand } from './bssid-ignore.js';

export interface StaLink {
  /** One registration attempt of a WPS operation (a radio also needs the request: method, BSSID, multi_ap). */
  startAttempt(handler: WscHandler, request?: WpsRequest): void;
  stopAttempt(): void;
  /**
   * Connect with one of the enabled networks, given in priority groups (highest first): a radio
   * scans and picks a network and a BSS as wpa_supplicant_pick_network does; a wired port has
   * nothing to do.
   */
  connect?(groups: LinkNetwork[][]): void;
  /** REASSOCIATE: the choice made again; a connected radio reassociates without disconnecting. */
  reassociate?(groups: LinkNetwork[][]): void;
  /** ROAM: reassociate with this BSS of the current network; false when it is unknown or of another SSID. */
  roam?(bssid: Buffer): boolean;
  /** Leaves the network in use; true when there was one (its deauthentication was announced). */
  disconnect?(): boolean;
  /** SCAN: false when the link is busy (already scanning, or connecting). Links without scans have none. */
  scan?(): boolean;
  /** What SCAN_RESULTS lists. */
  scanResults?(): BssEntry[];
  /** The link's own state for STATUS; a link without one (wired) is described by the daemon. */
  linkStatus?(): LinkStatus;
  /** The BSS table (BSS command) and BSS_FLUSH <age>; links without scans have neither. */
  bssRecords?(): BssRecord[];
  flushBss?(ageSeconds: number): void;
  /** FLUSH: wpa_s->consecutive_conn_failures back to 0. */
  forgetFailures?(): void;
  /** A radio's channel for GET_CAPABILITY channels/freq; absent on the wired link. */
  radioCapability?(): RadioCapability;
  /** The daemon hands a link that selects networks itself (a radio) its live view of the network list. */
  useNetworkSelection?(selection: NetworkSelection): void;
  /**
   * A link without a radio (wired) tells when an attempt ended by itself (EAP-Failure, a timeout),
   * after its EAP events: wpas_wps_eapol_cb's moment. Not for an attempt stopped by stopAttempt.
   */
  whenAttemptEnds?(listener: () => void): void;
}

/**
 * The network list as a radio sees it when it selects and connects: wpa_supplicant reads its
 * network blocks at each selection, and the per-network failure bookkeeping lives with them.
 */
export interface NetworkSelection {
  /** The enabled networks now, in priority groups (highest first). */
  candidates(): LinkNetwork[][];
  /**
   * wpas_temp_disabled: the milliseconds the network stays temporarily disabled, 0 when it may be
   * used; one whose time has passed is enabled again here (CTRL-EVENT-SSID-REENABLED).
   */
  disabledFor(networkId: number): number;
  /** wpas_auth_failed: one more authentication failure of the network (reason as 2.10 prints it: WRONG_KEY). */
  authFailed(networkId: number, reason: string): void;
  /** The connection with the network completed (wpa_supplicant_set_state COMPLETED): its failures are forgotten. */
  completed(networkId: number): void;
  /** wpa_s->bssid_ignore: the interface's BSSID ignore list, which BSSID_IGNORE shows and changes. */
  readonly bssidIgnore: BssidIgnoreList;
  /** wpa_supplicant_enabled_networks: how many networks are enabled (temporarily disabled ones count). */
  enabledNetworkCount(): number;
  /**
   * ssid->was_recently_reconfigured, read and reset: true once after the network was read from the
   * file or changed with SET_NETWORK (wpa_config_set); the ignore list is then cleared
   * (wpa_bssid_ignore_get with that network current).
   */
  takeReconfigured(networkId: number): boolean;
}

export interface LinkStatus {
  wpaState: string;
  /** The network id of the association in progress or held. */
  networkId?: number;
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
  /** `multi_ap_profile` (post-2.10), announced in the Multi-AP element of a backhaul association. */
  multiApProfile?: number;
  /** `scan_ssid=1`: Probe Requests name the SSID (a hidden AP answers only those). */
  scanSsid?: boolean;
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
  /** Credentials a WPS run stored (the D-Bus API's WPS.Credentials signal is sent from here). */
  onWpsCredentials?: (result: WpsSuccess) => void;
  /** Fresh DH key pairs computed ahead of time (dh-key-pool.ts); default: each run computes its own. */
  keyPairs?: DhKeyPairSource;
}

/** wpa_supplicant_wps_event_success: the networks disabled for WPS come back 10 s after success. */
const WPS_REENABLE_DELAY_MS = 10_000;

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
  /** wpa_supplicant network ids, parallel to the config's network blocks (a new network takes the highest plus one, as wpa_config_add_network). */
  private ids: number[];
  private device: DeviceInfo;
  private wps: StaWpsOperation | null = null;
  /**
   * The temporary network of the WPS run (wpas_wps_add_network: key_mgmt=WPS, listed and numbered
   * like the others, never saved), until a credential replaces it or the run clears it.
   */
  private wpsNetwork: NetworkBlock | null = null;
  /** Network events of the credentials just stored, held until WPS-CRED-RECEIVED is out. */
  private networkChanges: string[] = [];
  /** On a link without a radio: 2.10's wired "association" with the PAE group address. */
  private readonly wired: WiredAssociation | null;
  /** Set by DISCONNECT (wpa_s->disconnected): nothing connects by itself until RECONNECT, REASSOCIATE or SELECT_NETWORK. */
  private disconnected = false;
  /** Networks disabled for the WPS run (wpas_wps_temp_disable: disabled_for_connect), enabled again when it ends. */
  private disabledForWps = new Set<NetworkBlock>();
  private cancelReenable: (() => void) | null = null;
  /** Set while a WPS run is cancelled to be replaced (new WPS_PBC/WPS_PIN, RECONFIGURE): no reconnection in between. */
  private replacingWps = false;
  /** Set while wpas_wps_eapol_cb's work runs on a wire: the reconnection comes at its end. */
  private atEapolCallback = false;
  private saving: Promise<void> = Promise.resolve();
  /** auth_failures and disabled_until of each network block (not saved in the file, as in the reference). */
  private tempDisabled = new WeakMap<NetworkBlock, TempDisableState>();
  private readonly bssidIgnore = new BssidIgnoreList();
  /** Blocks whose was_recently_reconfigured flag was consumed; a block read or changed since is not here. */
  private reconfigurationSeen = new WeakSet<NetworkBlock>();

  constructor(private readonly options: StaDaemonOptions) {
    this.conf = options.conf;
    this.ids = this.conf.networkBlocks.map((_, i) => i);
    this.wired = options.link.connect ? null : new WiredAssociation((text) => options.emit(text));
    options.link.whenAttemptEnds?.(() => this.attemptEndedOnWire());
    this.device = this.buildDevice();
    options.link.useNetworkSelection?.({
      candidates: () => this.enabledGroups(),
      disabledFor: (id) => this.disabledFor(id),
      authFailed: (id, reason) => this.authFailed(id, reason),
      completed: (id) => this.clearTempDisabled(id, true),
      bssidIgnore: this.bssidIgnore,
      enabledNetworkCount: () => this.conf.networks.filter((n) => n.disabled === 0).length,
      takeReconfigured: (id) => {
        const block = this.conf.networkBlocks[this.ids.indexOf(id)];
        if (!block || this.reconfigurationSeen.has(block)) return false;
        this.reconfigurationSeen.add(block);
        return true;
      },
    });
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

  /** The link's view for the D-Bus API (State, CurrentBSS): a radio's own, or the daemon's on a wired link. */
  linkState(): LinkStatus {
    const link = this.linkStatus();
    const current = this.current();
    return { ...link, ...(current !== null ? { networkId: this.ids[current]! } : {}) };
  }

  /** The BSS table (empty on a link without scans). */
  bssTable(): BssRecord[] {
    return this.options.link.bssRecords?.() ?? [];
  }

  /** The network in use, by id, or null. */
  currentNetworkId(): number | null {
    const index = this.current();
    return index === null ? null : this.ids[index]!;
  }

  /**
   * Every network with its id, whether it is enabled and the fields its block sets (the last value
   * of each, as stored), key fields left out as wpa_config_get_all(ssid, 0) leaves them out, and
   * the defaults GET_NETWORK reports for the rest.
   */
  networkTable(): { id: number; enabled: boolean; fields: Map<string, string> }[] {
    return this.conf.networkBlocks.map((block, i) => {
      const fields = new Map<string, string>();
      for (const line of block.lines) {
        if (line.kind !== 'field' || STA_SECRET_NETWORK_FIELDS.has(line.name)) continue;
        fields.set(line.name, Buffer.from(line.value, 'latin1').toString('utf8'));
      }
      for (const [name, value] of Object.entries(NETWORK_DEFAULTS)) if (!fields.has(name)) fields.set(name, value);
      return { id: this.ids[i]!, enabled: block.network.disabled === 0, fields };
    });
  }

  /**
   * At start, wpa_supplicant requests a scan and connects with the enabled networks
   * (wpa_supplicant_driver_init → wpa_supplicant_req_scan); a link without scans has nothing to do.
   */
  start(): void {
    this.requestConnection({ staysDisconnected: true });
  }

  /**
   * The interface goes (TERMINATE, shutdown) on a wire: wpa_supplicant_deinit_iface leaves the
   * network in use, then wpa_supplicant_cleanup clears the DSCP policies once more (recorded at
   * the end of test/vectors/captures/real-pbc/wpa_supplicant.log). A radio link does this itself.
   */
  deinitWire(): void {
    if (!this.wired) return;
    this.wired.leave();
    this.options.emit('CTRL-EVENT-DSCP-POLICY clear_all');
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
      case 'REASSOCIATE':
        return this.reassociate();
      case 'ROAM':
        if (!raw.startsWith('ROAM ')) return 'UNKNOWN COMMAND\n';
        return this.roam(args[0]);
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
        return this.enableNetwork(args[0], command === 'ENABLE_NETWORK', args[1] === 'no-connect');
      case 'SELECT_NETWORK':
        return this.selectNetwork(args[0]);
      case 'SAVE_CONFIG':
        return (await this.save(true)) ? 'OK\n' : 'FAIL\n';
      case 'RECONFIGURE':
        return this.reconfigure();
      case 'DISCONNECT': {
        const left = (this.options.link.disconnect?.() ?? false) || (this.wired?.leave() ?? false);
        // wpas_request_disconnection: wpa_supplicant_deauthenticate clears the connection's state
        // whether or not there was one (recorded: DSCP-POLICY clear_all alone when idle).
        if (!left) this.options.emit('CTRL-EVENT-DSCP-POLICY clear_all');
        this.disconnected = true;
        return 'OK\n';
      }
      case 'RECONNECT':
        return this.reconnect();
      case 'SCAN':
        // The wired driver cannot scan; wpa_supplicant -Dwired answers FAIL too.
        if (!this.options.link.scan) return 'FAIL\n';
        return this.options.link.scan() ? 'OK\n' : 'FAIL-BUSY\n';
      case 'BSS':
        if (!raw.startsWith('BSS ')) return 'UNKNOWN COMMAND\n';
        return bssCommand(raw.slice(4), this.options.link.bssRecords?.() ?? [], this.options.link.linkStatus?.().bssid ?? null, this.options.macAddress);
      case 'BSSID_IGNORE':
      case 'BLACKLIST':
        return this.bssidIgnoreCommand(raw) ?? 'UNKNOWN COMMAND\n';
      case 'BSS_FLUSH':
        if (!raw.startsWith('BSS_FLUSH ')) return 'UNKNOWN COMMAND\n';
        // atoi(): 0 (or no number) flushes every entry not in use.
        this.options.link.flushBss?.(Math.max(0, Number.parseInt(raw.slice(10), 10) || 0));
        return 'OK\n';
      case 'GET_CAPABILITY':
        if (!raw.startsWith('GET_CAPABILITY ')) return 'UNKNOWN COMMAND\n';
        return getCapability(raw.slice(15).split(' '), this.options.link.radioCapability?.() ?? null) ?? 'UNKNOWN COMMAND\n';
      case 'SCAN_RESULTS':
        return formatScanResults(this.options.link.scanResults?.() ?? [], this.options.macAddress);
      case 'GET':
        return this.getGlobal(args[0]);
      case 'SET':
        return this.setGlobal(raw);
      case 'LOG_LEVEL':
        return this.logLevelCommand(args);
      case 'FLUSH':
        // os_strcmp(buf, "FLUSH"): nothing may follow.
        return raw === 'FLUSH' ? this.flush() : 'UNKNOWN COMMAND\n';
      case 'TERMINATE':
        this.options.scheduler.schedule(0, () => this.options.onTerminate?.());
        return 'OK\n';
      default:
        return this.bssidIgnoreCommand(raw) ?? 'UNKNOWN COMMAND\n';
    }
  }

  /**
   * BSSID_IGNORE and its 2.10 alias BLACKLIST, matched as the reference matches them: by the exact
   * prefix (case counts; "BSSID_IGNORExyz" is the command with a bad argument). Null: neither.
   */
  private bssidIgnoreCommand(raw: string): string | null {
    const name = ['BSSID_IGNORE', 'BLACKLIST'].find((n) => raw.startsWith(n));
    if (!name) return null;
    return bssidIgnoreCommand(this.bssidIgnore, raw.slice(name.length), this.options.scheduler.now()) ?? 'FAIL\n';
  }

  /**
   * STATUS in wpa_supplicant's order: the association (bssid, freq, ssid, id, mode, ciphers,
   * key_mgmt) once associated, then wpa_state, address, uuid: a radio's own, or on a wire the
   * association with the PAE group address.
   */
  private status(): string {
    const link = this.linkStatus();
    const current = this.current();
    const network = current !== null ? this.conf.networks[current] : undefined;
    let out = '';
    if (link.bssid) out += `bssid=${formatMac(link.bssid)}\nfreq=${link.frequency ?? 0}\n`;
    const ssid = link.ssid;
    if (ssid) {
      out += `ssid=${ssidText(ssid)}\n`;
      if (network && current !== null) out += `id=${this.ids[current]}\n`;
      out += 'mode=station\n';
    }
    if (link.pairwiseCipher) out += `pairwise_cipher=${link.pairwiseCipher}\ngroup_cipher=${link.groupCipher ?? link.pairwiseCipher}\n`;
    if (link.keyMgmt) out += `key_mgmt=${link.keyMgmt}\n`;
    // Beyond the reference: the backhaul network in use says so (on a wire, once taken).
    if (network?.multiApBackhaulSta && (link.wpaState === 'COMPLETED' || (this.wired && link.wpaState === 'ASSOCIATED'))) out += 'multi_ap_backhaul_sta=1\n';
    out += `wpa_state=${link.wpaState}\naddress=${formatMac(this.options.macAddress)}\nuuid=${formatUuid(this.device.uuid)}\n`;
    return out;
  }

  private startWps(kind: 'pbc' | 'pin', args: string[]): string {
    const parsed = parseWpsArgs(kind, args);
    if (!parsed) return 'FAIL\n';
    // A new run replaces the one in progress (wpas_clear_wps, no WPS-CANCEL): its networks stay disabled for the new one.
    this.replacingWps = true;
    this.wps?.replace();
    this.replacingWps = false;
    this.disableOthersForWps();
    this.disconnected = false;
    const pin = kind === 'pin' ? (parsed.pin ?? generatePin(systemRng)) : undefined;
    const request: WpsRequest = {
      method: pin !== undefined ? { kind: 'pin', pin } : { kind: 'pbc' },
      bssid: parsed.bssid,
      ...(parsed.multiApRequest ? { multiApRequest: parsed.multiApRequest } : {}),
    };
    this.addWpsNetwork(request);
    this.wps = new StaWpsOperation(
      request,
      {
        device: this.device,
        scheduler: this.options.scheduler,
        credentialHex: this.conf.globals.wpsCredProcessing !== 0,
        endReportedByLink: this.options.link.whenAttemptEnds !== undefined,
        ...(this.options.keyPairs ? { keyPairs: this.options.keyPairs } : {}),
        ...(m1VendorExtensions(this.conf.globals) ? { m1VendorExtensions: m1VendorExtensions(this.conf.globals)! } : {}),
        hooks: {
          event: (text) => this.options.emit(text),
          debug: (line) => {
            const { logger } = this.options;
            if (!logger?.enabled(LogLevel.Debug)) return;
            const text = line();
            if (text) logger.debug(text);
          },
          startAttempt: (handler) => {
            // wpas_wps_reassoc: on a wire the run's network is taken at once (after leaving another).
            this.takeOnWire(this.wpsNetwork);
            this.options.link.startAttempt(handler, request);
          },
          stopAttempt: () => {
            this.options.link.stopAttempt();
            this.wired?.leave();
          },
          clear: () => this.removeWpsNetwork(),
          store: (result) => this.storeWpsCredentials(result),
          messageReported: () => this.announceNetworkChanges(),
          succeeded: () => this.wpsSucceeded(),
          ended: () => this.wpsEnded(),
        },
      },
    );
    // WPS_PIN answers with the PIN in use (generated when none was given), without a newline.
    return pin !== undefined ? pin : 'OK\n';
  }

  /**
   * wpas_wps_add_network for WPS_PBC / WPS_PIN: a network of the run's own (the highest id plus one,
   * CTRL-EVENT-NETWORK-ADDED) with what wpas_wps_start_pbc / wpas_wps_start_dev_pw set on it, the one
   * in use while the run lasts, never written to the file.
   */
  private addWpsNetwork(request: WpsRequest): void {
    const { method, bssid, multiApRequest } = request;
    const phase1 = method.kind === 'pbc' ? `pbc=1${multiApRequest ? ` multi_ap=${multiApRequest.profile}` : ''}` : `pin=${method.pin} dev_pw_id=${DevicePasswordId.Default}`;
    const fields: NetworkFieldValue[] = [
      ...(bssid !== 'any' ? [{ name: 'bssid', value: formatMac(bssid) }] : []),
      { name: 'key_mgmt', value: 'WPS' },
      { name: 'eap', value: 'WSC' },
      { name: 'identity', value: `"${WSC_ID_ENROLLEE}"` },
      { name: 'phase1', value: `"${phase1}"` },
      { name: 'pbss', value: '2' },
      ...(multiApRequest ? [{ name: 'multi_ap_backhaul_sta', value: '1' }] : []),
      ...(multiApRequest && multiApRequest.profile > 1 ? [{ name: 'multi_ap_profile', value: String(multiApRequest.profile) }] : []),
    ];
    const before = this.conf.networkBlocks.slice();
    const index = this.conf.addNetwork(fields, { temporary: true });
    this.remapIds(before);
    this.wpsNetwork = this.conf.networkBlocks[index]!;
    this.options.emit(`CTRL-EVENT-NETWORK-ADDED ${this.ids[index]}`);
  }

  /** CTRL-EVENT-NETWORK-ADDED/-REMOVED of the credentials stored, once WPS-CRED-RECEIVED is out. */
  private announceNetworkChanges(): void {
    for (const text of this.networkChanges.splice(0)) this.options.emit(text);
  }

  /** wpas_clear_wps: the run's network, if still there, goes (CTRL-EVENT-NETWORK-REMOVED). */
  private removeWpsNetwork(): void {
    const block = this.wpsNetwork;
    this.wpsNetwork = null;
    const index = block ? this.conf.networkBlocks.indexOf(block) : -1;
    if (index < 0) return;
    // wpas_clear_wps deauthenticates first when the WPS network is the one in use.
    if (this.wired?.network === block) this.wired.leave();
    this.options.emit(`CTRL-EVENT-NETWORK-REMOVED ${this.ids[index]}`);
    this.conf.removeNetwork(index);
    this.ids.splice(index, 1);
  }

  /** Takes a network on a wire (a no-op on a radio, whose link associates by itself). */
  private takeOnWire(block: NetworkBlock | null): void {
    const index = block ? this.conf.networkBlocks.indexOf(block) : -1;
    if (this.wired && block && index >= 0) this.wired.associate(block, this.ids[index]!);
  }

  /**
   * A WPS attempt on a wire ended by itself, its EAP events printed (wpas_wps_eapol_cb): the port
   * is left, then a PIN run that goes on takes its network again at once, and otherwise the STA
   * takes the network it would choose now (the received credential, or its own network again).
   */
  private attemptEndedOnWire(): void {
    this.atEapolCallback = true;
    this.wps?.attemptOver();
    this.atEapolCallback = false;
    // It always deauthenticates, which clears the DSCP policies even with nothing left to leave
    // (after a failure wpas_clear_wps has left the WPS network already).
    if (!this.wired?.leave()) this.options.emit('CTRL-EVENT-DSCP-POLICY clear_all');
    if (this.wps?.active && this.wps.request.method.kind === 'pin') this.takeOnWire(this.wpsNetwork);
    else this.requestConnection({ staysDisconnected: true });
  }

  /**
   * Credentials become network blocks (marked multi_ap_backhaul_sta=1 for a backhaul run), saved
   * with update_config=1 (wpa_supplicant_wps_cred). False when they could not be stored: the run
   * then answers M8 with WSC_NACK and reports WPS-FAIL, never WPS-SUCCESS.
   */
  private storeWpsCredentials(result: WpsSuccess): boolean {
    const logger = this.options.logger;
    for (const { credential, attribute } of result.credentials) {
      // wps_process_cred (wps_enrollee.c) dumps the whole Credential attribute as key material.
      logger?.key('WPS: Received Credential attribute', attribute);
      logger?.debug(`WPS: Received credential: SSID ${JSON.stringify(credential.ssid.toString('latin1'))} auth 0x${credential.authType.toString(16)} encr 0x${credential.encrType.toString(16)}${result.multiApBackhaulSta ? ' (Multi-AP backhaul)' : ''}`);
      logger?.key('WPS: Network Key', credential.networkKey);
    }
    // wpa_supplicant_wps_cred announces each credential (D-Bus Credentials) before it touches the networks.
    this.options.onWpsCredentials?.(result);
    const before = this.conf.networkBlocks.slice();
    const wpsNetworkIndex = this.wpsNetwork ? this.conf.networkBlocks.indexOf(this.wpsNetwork) : -1;
    let applied: WpsApplyResult;
    try {
      applied = applyWpsCredentials(this.conf, result.credentials.map((c) => c.credential), {
        ...(wpsNetworkIndex >= 0 ? { wpsNetworkIndex } : {}),
        multiApBackhaulSta: result.multiApBackhaulSta,
        // 2.10 has no multi_ap_profile and refuses unknown network fields: written only for profile 2+
        // (post-2.10 syntax), so a Profile-1 file stays readable by the reference.
        ...(result.multiApProfile !== undefined && result.multiApProfile > 1 && result.multiApBackhaulSta ? { multiApProfile: result.multiApProfile } : {}),
      });
    } catch (error) {
      this.options.logger?.warning(`WPS: credential not usable: ${expectOnboardError(error).message}`);
      return false;
    }
    const oldIds = new Map(before.map((block, i) => [block, this.ids[i]!]));
    this.remapIds(before);
    // The credential that took the WPS network's place is a network of its own now.
    if (this.wpsNetwork && !this.wpsNetwork.temporary) this.wpsNetwork = null;
    for (const { kind, block } of applied.changes) {
      const id = kind === 'removed' ? oldIds.get(block) : this.ids[this.conf.networkBlocks.indexOf(block)];
      if (id !== undefined) this.networkChanges.push(`CTRL-EVENT-NETWORK-${kind === 'added' ? 'ADDED' : 'REMOVED'} ${id}`);
    }
    if (this.conf.globals.updateConfig === 1) void this.save(false);
    return true;
  }

  /**
   * After WPS-SUCCESS the STA connects with what it received: the other networks are still disabled
   * for the run and come back 10 s later (wpa_supplicant_wps_event_success).
   */
  private wpsSucceeded(): void {
    // No credential took its place (wps_cred_processing=1, or none usable): wpas_wps_eapol_cb's
    // "waiting for external credential processing" clears it.
    this.removeWpsNetwork();
    this.requestConnection();
    this.cancelReenable?.();
    this.cancelReenable = this.options.scheduler.schedule(WPS_REENABLE_DELAY_MS, () => {
      this.cancelReenable = null;
      this.reenableWpsNetworks();
    });
  }

  /** WPS-CANCEL, WPS-TIMEOUT, WPS-FAIL: the other networks come back and the STA reconnects (wpas_clear_wps). */
  private wpsEnded(): void {
    if (this.replacingWps) return;
    this.reenableWpsNetworks();
    // With nothing to take, a wire stays DISCONNECTED after a WPS run (recorded).
    if (!this.atEapolCallback) this.requestConnection({ staysDisconnected: true });
  }

  /** wpas_wps_temp_disable: every other enabled network is disabled while the run lasts. */
  private disableOthersForWps(): void {
    this.cancelReenable?.();
    this.cancelReenable = null;
    this.conf.networkBlocks.forEach((block, i) => {
      if (block.network.disabled !== 0) return;
      this.conf.setNetworkField(i, 'disabled', '1');
      this.disabledForWps.add(block);
    });
  }

  /** wpas_wps_reenable_networks: the networks disabled for the run are enabled again, and saved with update_config=1. */
  private reenableWpsNetworks(): void {
    this.cancelReenable?.();
    this.cancelReenable = null;
    let changed = false;
    this.conf.networkBlocks.forEach((block, i) => {
      if (!this.disabledForWps.has(block) || block.network.disabled !== 1) return;
      this.conf.setNetworkField(i, 'disabled', null);
      changed = true;
    });
    this.disabledForWps.clear();
    if (changed && this.conf.globals.updateConfig === 1) void this.save(false);
  }

  /** The enabled networks with an SSID, in priority groups from the highest (wpa_config_add_prio_network). */
  private enabledGroups(): LinkNetwork[][] {
    const byPriority = new Map<number, LinkNetwork[]>();
    this.conf.networks.forEach((n, i) => {
      const network = n.disabled === 0 ? this.linkNetwork(i) : undefined;
      if (!network) return;
      const group = byPriority.get(n.priority) ?? [];
      group.push(network);
      byPriority.set(n.priority, group);
    });
    return [...byPriority.entries()].sort((a, b) => b[0] - a[0]).map(([, group]) => group);
  }

  /**
   * wpa_supplicant_req_scan + network selection: nothing while WPS runs or after DISCONNECT.
   * `reassociate`: REASSOCIATE. `staysDisconnected`: with no network to take, a wire stays
   * DISCONNECTED (at start, after DISABLE_NETWORK and after a WPS run, as recorded from 2.10)
   * where it otherwise becomes INACTIVE.
   */
  private requestConnection(how: { reassociate?: boolean; staysDisconnected?: boolean } = {}): void {
    if (this.disconnected || this.wps?.active) return;
    const groups = this.enabledGroups();
    if (this.wired) {
      // A wired port does not scan: the first enabled network in list order is the one in use,
      // whatever the priorities (wpa_supplicant_get_ssid with ap_scan=0 on a wired driver).
      if (groups.length === 0) {
        if (!how.staysDisconnected) this.wired.nothingToTake();
        return;
      }
      const index = Math.min(...groups.flat().map((n) => this.ids.indexOf(n.id)));
      const block = this.conf.networkBlocks[index]!;
      // REASSOCIATE of the network in use: 2.10 generates its association event again.
      if (how.reassociate && this.wired.network === block) this.wired.announce(this.ids[index]!);
      else this.takeOnWire(block);
      return;
    }
    if (groups.length === 0) return;
    const link = this.options.link;
    if (how.reassociate && link.reassociate) link.reassociate(groups);
    else link.connect?.(groups);
  }

  private tempState(id: number): { block: NetworkBlock; state: TempDisableState } | null {
    const block = this.conf.networkBlocks[this.ids.indexOf(id)];
    if (!block) return null;
    let state = this.tempDisabled.get(block);
    if (!state) this.tempDisabled.set(block, (state = { authFailures: 0, disabledUntil: 0 }));
    return { block, state };
  }

  private ssidOf(block: NetworkBlock): string {
    return block.network.ssid ? ssidText(block.network.ssid) : '';
  }

  /** wpas_auth_failed (PSK networks; WPS runs have no network block here). */
  private authFailed(id: number, reason: string): void {
    const found = this.tempState(id);
    if (!found) return;
    const seconds = recordAuthFailure(found.state, this.options.scheduler.now());
    if (seconds !== null) this.options.emit(tempDisabledText(id, this.ssidOf(found.block), found.state.authFailures, seconds, reason));
  }

  /** wpas_temp_disabled: time left; a disabling whose time has passed is cleared, failures kept. */
  private disabledFor(id: number): number {
    const found = this.tempState(id);
    if (!found?.state.disabledUntil) return 0;
    const left = found.state.disabledUntil - this.options.scheduler.now();
    if (left > 0) return left;
    this.clearTempDisabled(id, false);
    return 0;
  }

  /** wpas_clear_temp_disabled: REENABLED when the network was temporarily disabled. */
  private clearTempDisabled(id: number, clearFailures: boolean): void {
    const found = this.tempState(id);
    if (!found) return;
    if (found.state.disabledUntil) this.options.emit(reenabledText(id, this.ssidOf(found.block)));
    found.state.disabledUntil = 0;
    if (clearFailures) found.state.authFailures = 0;
  }

  /** The network in use: the link's own view when it has one (radio), else the daemon's (wired). */
  private current(): number | null {
    if (this.wired) {
      const block = this.wired.network;
      const index = block ? this.conf.networkBlocks.indexOf(block) : -1;
      return index >= 0 ? index : null;
    }
    const link = this.options.link.linkStatus?.();
    if (!link) return null;
    // The WPS network is wpa_s->current_ssid while a radio is associated for the run (its link then says key_mgmt WPS).
    const wpsIndex = this.wpsNetwork && this.wps?.active ? this.conf.networkBlocks.indexOf(this.wpsNetwork) : -1;
    if (wpsIndex >= 0 && link.keyMgmt === 'WPS') return wpsIndex;
    const index = link.networkId !== undefined ? this.ids.indexOf(link.networkId) : -1;
    return index >= 0 ? index : null;
  }

  /** The link's state: a radio's own, or the wired association's. */
  private linkStatus(): LinkStatus {
    if (this.wired) {
      const current = this.current();
      return this.wired.status(current !== null ? this.ids[current] : undefined);
    }
    return this.options.link.linkStatus?.() ?? { wpaState: 'DISCONNECTED' };
  }

  private linkNetwork(index: number): LinkNetwork | undefined {
    const n = this.conf.networks[index];
    if (!n?.ssid) return undefined;
    return {
      id: this.ids[index]!,
      ssid: n.ssid,
      ...(n.psk?.kind === 'passphrase' ? { passphrase: n.psk.passphrase } : n.psk?.kind === 'psk' ? { psk: n.psk.psk } : {}),
      multiApBackhaulSta: n.multiApBackhaulSta,
      ...(n.multiApProfile !== undefined ? { multiApProfile: n.multiApProfile } : {}),
      scanSsid: n.scanSsid,
    };
  }

  /** Keeps ids of surviving blocks; new blocks get fresh ids (max + 1, as the reference). */
  private remapIds(before: readonly unknown[]): void {
    const oldIds = new Map(before.map((block, i) => [block, this.ids[i]!]));
    let next = this.ids.length > 0 ? Math.max(...this.ids) + 1 : 0;
    this.ids = this.conf.networkBlocks.map((block) => oldIds.get(block) ?? next++);
  }

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

  /**
   * As wpa_supplicant: the list stops where the 4096-byte reply buffer is full, and
   * `LIST_NETWORKS LAST_ID=<id>` continues after network <id> (how long lists are paged).
   */
  private listNetworks(arg: string | undefined): string {
    let out = 'network id / ssid / bssid / flags\n';
    const current = this.current();
    const lastId = arg?.startsWith('LAST_ID=') ? Number.parseInt(arg.slice(8), 10) : -1;
    for (let i = 0; i < this.conf.networks.length; i++) {
      const n = this.conf.networks[i]!;
      if (lastId !== -1 && this.ids[i]! <= lastId) continue;
      const temp = this.tempDisabled.get(this.conf.networkBlocks[i]!);
      const flags = [i === current ? '[CURRENT]' : '', n.disabled === 1 ? '[DISABLED]' : '', temp?.disabledUntil ? '[TEMP-DISABLED]' : ''].join('');
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
    const id = this.ids[this.ids.length - 1]!;
    // wpas_notify_network_added, to control-interface monitors only (wpa_msg_ctrl).
    this.options.emit(`CTRL-EVENT-NETWORK-ADDED ${id}`);
    return `${id}\n`;
  }

  private setNetwork(raw: string): string {
    const m = /^SET_NETWORK (\d+) (\S+) (.*)$/s.exec(raw);
    if (!m) return 'FAIL\n';
    const index = this.indexOfId(m[1]);
    if (index < 0) return 'FAIL\n';
    // wpa_config_set marks the network reconfigured whether the value parses or not.
    this.reconfigurationSeen.delete(this.conf.networkBlocks[index]!);
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

  /**
   * REMOVE_NETWORK <id|all>. On a wire, recorded from 2.10: `all` leaves the network in use first
   * and one id after its removal; either then finds nothing to take (INACTIVE). FLUSH removes
   * them all without that selection (`reselect` false): 2.10 stays DISCONNECTED.
   */
  private removeNetwork(idText: string | undefined, reselect = true): string {
    if (idText === 'all') {
      if (this.current() !== null) this.options.link.disconnect?.();
      this.wired?.leave();
      this.forgetWpsNetwork();
      // wpas_notify_network_removed for each, in the list's order.
      for (const id of this.ids) this.options.emit(`CTRL-EVENT-NETWORK-REMOVED ${id}`);
      for (let i = this.conf.networkBlocks.length - 1; i >= 0; i--) this.conf.removeNetwork(i);
      this.ids = [];
      if (reselect) this.requestConnection();
      return 'OK\n';
    }
    const index = this.indexOfId(idText);
    if (index < 0) return 'FAIL\n';
    const block = this.conf.networkBlocks[index];
    const inUse = this.current() === index;
    // Removing the network in use ends the association (wpa_supplicant_remove_network).
    if (inUse && block !== this.wpsNetwork) this.options.link.disconnect?.();
    this.options.emit(`CTRL-EVENT-NETWORK-REMOVED ${this.ids[index]}`);
    if (block === this.wpsNetwork) this.forgetWpsNetwork();
    if (inUse) this.wired?.leave();
    this.conf.removeNetwork(index);
    this.ids.splice(index, 1);
    if (inUse && this.wired) this.requestConnection();
    return 'OK\n';
  }

  /** The run's network is removed by a command: the run makes no further attempt, and times out as in the reference. */
  private forgetWpsNetwork(): void {
    if (!this.wpsNetwork) return;
    this.wpsNetwork = null;
    this.wps?.networkRemoved();
  }

  /**
   * FLUSH (wpa_supplicant_ctrl_iface_flush), the parts of it this daemon has state for. First
   * wpas_wps_cancel, which 2.10 calls whether or not a run is in progress: a connection made or
   * being made ends (deauthenticated, CTRL-EVENT-DISCONNECTED), then WPS-CANCEL. Then the
   * connection failures are forgotten, the BSSID ignore list cleared, every network removed
   * (CTRL-EVENT-NETWORK-REMOVED each, in list order), DISCONNECT undone and the BSS table emptied.
   * The file changes only with SAVE_CONFIG, as after REMOVE_NETWORK.
   */
  private flush(): string {
    this.options.logger?.debug('Flush all wpa_supplicant state');
    // No reconnection in between: the networks go right after.
    this.replacingWps = true;
    if (this.wps?.active) {
      // The association ends before the run's state goes (a radio leaves; a wire has none).
      this.options.link.disconnect?.();
      this.wps.cancel();
    } else {
      if (this.current() !== null) this.options.link.disconnect?.();
      this.wired?.leave();
      this.options.emit('WPS-CANCEL ');
    }
    this.replacingWps = false;
    this.cancelReenable?.();
    this.cancelReenable = null;
    this.disabledForWps.clear();
    this.options.link.forgetFailures?.();
    this.bssidIgnore.clear();
    this.removeNetwork('all', false);
    this.disconnected = false;
    this.options.link.flushBss?.(0);
    return 'OK\n';
  }

  /**
   * ENABLE_NETWORK <id|all> [no-connect] (wpa_supplicant_enable_network): a network that was
   * disabled becomes a candidate, and without a network in use (and no DISCONNECT) the STA scans
   * and connects. DISABLE_NETWORK of the network in use disconnects (wpa_supplicant_disable_network).
   */
  private enableNetwork(idText: string | undefined, enable: boolean, noConnect = false): string {
    const targets = idText === 'all' ? this.ids.map((_, i) => i) : [this.indexOfId(idText)];
    if (targets.some((i) => i < 0)) return 'FAIL\n';
    const current = this.current();
    let newlyEnabled = false;
    try {
      for (const i of targets) {
        const was = this.conf.networks[i]!.disabled;
        if (enable && was === 2) continue;
        if (enable && was !== 0) newlyEnabled = true;
        this.conf.setNetworkField(i, 'disabled', enable ? null : '1');
        this.disabledForWps.delete(this.conf.networkBlocks[i]!);
        // wpa_supplicant_enable_one_network: only a network that was disabled starts afresh ("no-connect" only sets disabled=0).
        if (enable && was !== 0 && !noConnect) this.clearTempDisabled(this.ids[i]!, true);
      }
    } catch (error) {
      expectOnboardError(error);
      return 'FAIL\n';
    }
    if (!enable) {
      if (current !== null && targets.includes(current)) {
        this.options.link.disconnect?.();
        this.wired?.leave();
        // A wired port takes the next enabled network at once (recorded: wpa-supplicant-2.10-wired-association.txt).
        if (this.wired) this.requestConnection({ staysDisconnected: true });
      }
      return 'OK\n';
    }
    if (newlyEnabled && !noConnect && current === null) this.requestConnection();
    return 'OK\n';
  }

  /** RECONNECT: only after DISCONNECT, as in the reference (wpas_request_connection when wpa_s->disconnected). */
  private reconnect(): string {
    if (!this.disconnected) return 'OK\n';
    this.disconnected = false;
    this.requestConnection();
    return 'OK\n';
  }

  /** REASSOCIATE: a new choice among the enabled networks whether connected or not (wpas_request_connection). */
  private reassociate(): string {
    this.disconnected = false;
    this.requestConnection({ reassociate: true });
    return 'OK\n';
  }

  /** ROAM <bssid> (wpa_supplicant_ctrl_iface_roam): FAIL for a malformed address, no network in use, or a BSS not in the table with its SSID. */
  private roam(address: string | undefined): string {
    if (address === undefined || !isMacText(address)) return 'FAIL\n';
    const bssid = parseMac(address);
    if (!this.options.link.roam || this.current() === null) return 'FAIL\n';
    return this.options.link.roam(bssid) ? 'OK\n' : 'FAIL\n';
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
    // wpa_supplicant_select_network: the selected network starts afresh.
    this.clearTempDisabled(this.ids[index]!, true);
    this.disconnected = false;
    // On a wire: the network in use is left for the selected one (nothing happens if it is the one).
    if (this.wired) this.takeOnWire(this.conf.networkBlocks[index]!);
    const network = this.linkNetwork(index);
    if (network) this.options.link.connect?.([[network]]);
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
    } catch (error) {
      // A file the system will not give us is FAIL, as the AP's reload; anything else is a bug.
      if (!isErrnoError(error)) throw error;
      this.options.logger?.error(`cannot read ${this.options.confPath}: ${error.message}`);
      return 'FAIL\n';
    }
    const parsed = parseWpaSupplicantConf(text, { file: this.options.confPath });
    if (parsed.errors.length > 0) {
      for (const e of parsed.errors) this.options.logger?.error(e.message);
      return 'FAIL\n';
    }
    this.replacingWps = true;
    this.wps?.cancel();
    this.replacingWps = false;
    this.cancelReenable?.();
    this.cancelReenable = null;
    this.disabledForWps.clear();
    // wpa_supplicant_reload_configuration: the association ends, the new file's networks are used.
    if (this.current() !== null) this.options.link.disconnect?.();
    this.wired?.leave();
    this.conf = parsed.config;
    this.ids = this.conf.networkBlocks.map((_, i) => i);
    this.bssidIgnore.clear();
    this.device = this.buildDevice();
    this.requestConnection();
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
