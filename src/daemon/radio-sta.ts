/**
 * The STA side of a radio on the simulated medium, as wpa_supplicant's station code does it for
 * onboarding: scan (Probe Requests with the WPS IE, Probe Responses and Beacons collected for a
 * dwell time; passive: Beacons only), pick the WPS AP (ap-selection.ts; two APs in PBC with
 * different UUIDs is an overlap), authenticate, associate with the WPS IE and — for a `multi_ap=N`
 * run — the Multi-AP element, run EAP-WSC over data frames, deauthenticate, then connect with the
 * received network: RSN element, Multi-AP element for `multi_ap_backhaul_sta=1`, the AP's element
 * checked in the response (association-policy.ts), the four-way handshake, four-address mode on a
 * backhaul BSS.
 */
import { ETHERTYPE_EAPOL, decodeEthernet, encodeEthernet } from '../eap/index.js';
import type { Element, Frame } from '../ieee80211/index.js';
import {
  Capability,
  channelFrequency,
  parseChannelSwitch,
  dataAddresses,
  dataFrame,
  decodeFrame,
  ElementId,
  encodeFrame,
  FcFlag,
  findElement,
  isWpa2PskCcmp,
  mgmtHeader,
  multiApElement,
  dsElement,
  nullDataFrame,
  parseMultiApElement,
  parseWpsElements,
  staRateElements,
  ReasonCode,
  rsnElement,
  ssidElement,
  staAssociationDecision,
  backhaulLinkVlan,
  vlanTag,
  vlanUntag,
  wpsElements,
} from '../ieee80211/index.js';
import type { RadioPort } from '../sim/medium.js';
import { MEDIUM_SIGNAL_DBM } from '../sim/medium.js';
import type { Scheduler } from '../sim/scheduler.js';
import { ssidText, wipe } from '../util/bytes.js';
import { formatMac } from '../util/mac.js';
import type { Rng } from '../util/rng.js';
import type { HandshakeEvent } from '../wpa/index.js';
import { HandshakeReason, pmkFromPassphrase, Supplicant4Way } from '../wpa/index.js';
import type { DeviceInfo, WpsScanEntry, WscHandler } from '../wsc/index.js';
import { MultiApBit, selectWpsAp } from '../wsc/index.js';
import { assocRequestWpsAttributes, probeRequestWpsAttributes } from '../wsc/probe-attributes.js';
import { MachineRunner } from './machine-runner.js';
import type { LinkNetwork, LinkStatus, NetworkSelection, StaLink } from './sta-daemon.js';
import type { WpsRequest } from './sta-wps.js';
import { StaEapLink } from './eap-links.js';
import { supplicantEventLines } from '../ctrl/event-text.js';
import type { BssEntry } from './scan-results.js';
import { expectDecodeError } from '../util/errors.js';
import type { BssRecord } from './bss-info.js';
import { BssidIgnoreList, CONN_FAILED_AFTER, connectionFailureScanDelayMs, ignoreSeconds } from './bssid-ignore.js';

const SCAN_DWELL_MS = 120;
const RESCAN_MS = 1000;
/** events.c wpa_supplicant_event_disassoc_finish: after a disconnection with auto-reconnect, a scan in 100 ms. */
const DISASSOC_RESCAN_MS = 100;
/** events.c disconnect_reason_recoverable: reasons after which the AP may take the STA back at once. */
const RECOVERABLE_REASONS: ReadonlySet<number> = new Set([ReasonCode.DisassocDueToInactivity, ReasonCode.Class2FrameFromNonauthSta, ReasonCode.Class3FrameFromNonassocSta]);
const MLME_TIMEOUT_MS = 200;
/** mac80211's default listen interval (beacon intervals between wake-ups), in every (Re)Association Request. */
const LISTEN_INTERVAL = 5;
/**
 * wpa_supplicant_req_auth_timeout with the kernel's SME (mac80211): 10 s from the association for
 * the first EAPOL frame (events.c), 10 s again from that frame for the handshake (PSK;
 * wpa_supplicant_rx_eapol), cancelled once the connection completes; on expiry
 * wpa_supplicant_timeout. Authentication and association have the kernel's own timeouts
 * (MLME_TIMEOUT_MS). The real 2.10 on mac80211_hwsim logs exactly these two settings
 * (test/vectors/air/real-air-multiap-split/wpas.log).
 */
const AUTH_TIMEOUT_MS = 10_000;
/**
 * mac80211's connection monitor (IEEE80211_CONNECTION_IDLE_TIME): after this long without a unicast
 * frame from the AP, a Null data frame asks it; an AP that forgot us answers reason 7.
 */
const CONNECTION_IDLE_MS = 30_000;
/** mac80211: the AP is presumed gone after this many beacon intervals without one (IEEE80211_BEACON_LOSS_COUNT)... */
const BEACON_LOSS_COUNT = 7;
/** ...then asked with unicast Probe Requests, each given IEEE80211_PROBE_WAIT, max_probe_tries times. */
const PROBE_WAIT_MS = 500;
const MAX_PROBE_TRIES = 5;
const TU_MS = 1.024;
/** wpa_supplicant's bss_max_count and bss_expiration_age defaults. */
const BSS_MAX_COUNT = 200;
const BSS_EXPIRATION_MS = 180_000;
/**
 * PIN search: after this long, any WPS AP will do (wps_supplicant.c wpas_wps_ssid_bss_match:
 * WPS_PIN_SCAN_IGNORE_SEL_REG = 3 scans or WPS_PIN_TIME_IGNORE_SEL_REG = 5 s).
 */
const PIN_ANY_AP_AFTER_MS = 5000;
/** robust_av.c wpas_dscp_deinit, printed whenever the connection state is cleared. */
const DSCP_POLICY_CLEAR_ALL = 'CTRL-EVENT-DSCP-POLICY clear_all';
/**
 * events.c EVENT_ASSOC: after wpa_supplicant_event_assoc, the subnet status the driver reported;
 * nl80211 reports none, so 0 (unknown).
 */
const SUBNET_STATUS_UNKNOWN = 'CTRL-EVENT-SUBNET-STATUS-UPDATE status=0';
/** events.c wpa_supplicant_event_assoc. */
const associatedWith = (bssid: Buffer) => `Associated with ${formatMac(bssid)}`;

export interface RadioStaOptions {
  port: RadioPort;
  scheduler: Scheduler;
  device: () => DeviceInfo;
  rng: Rng;
  /** Control-interface events (CTRL-EVENT-CONNECTED, WPS-OVERLAP-DETECTED, ...). */
  emit: (text: string, level?: number) => void;
  /** Ends the WPS operation (overlap: the reference cancels it). */
  cancelWps: () => void;
  /** Scan without Probe Requests (Beacons only). */
  passiveScan?: boolean;
  note?: (text: string) => void;
  /** Data frames other than EAPOL from the AP while connected, as Ethernet frames (for a bridge). */
  data?: (frame: { sa: Buffer; da: Buffer; etherType: number; payload: Buffer; wds: boolean }) => void;
}

interface ScanResult {
  bssid: Buffer;
  ssid: Buffer;
  elements: Element[];
  probeResponse: boolean;
  /** Beacon interval in TU. */
  beaconInterval: number;
  capability: number;
}

/** A WPS run, or the enabled networks in priority groups (highest first) to pick from. */
type Target = { kind: 'wps'; request: WpsRequest; handler: WscHandler } | { kind: 'network'; groups: LinkNetwork[][] };

const hasRsn = (bss: { elements: Element[] }) => findElement(bss.elements, ElementId.Rsn) !== undefined;

type State = 'idle' | 'scanning' | 'authenticating' | 'associating' | 'eap' | 'handshake' | 'connected';

/** wpa_supplicant's wpa_states for ours (EAP runs in ASSOCIATED). */
const RADIO_WPA_STATE: Record<State, string> = {
  idle: 'DISCONNECTED',
  scanning: 'SCANNING',
  authenticating: 'AUTHENTICATING',
  associating: 'ASSOCIATING',
  eap: 'ASSOCIATED',
  handshake: '4WAY_HANDSHAKE',
  connected: 'COMPLETED',
};

export class RadioSta implements StaLink {
  private state: State = 'idle';
  private target: Target | null = null;
  private scanFound = new Map<string, ScanResult>();
  private bss: ScanResult | null = null;
  private timer: (() => void) | null = null;
  private sequence = 0;
  private eap: StaEapLink | null = null;
  private handshake: { runner: MachineRunner<Buffer, HandshakeEvent>; machine: Supplicant4Way } | null = null;
  /** An EAPOL frame arrived since the association (wpa_s->eapol_received). */
  private eapolReceived = false;
  private searchStarted = 0;
  /** Networks to connect with once the WPS exchange in progress has ended (credentials from M8). */
  private pendingGroups: LinkNetwork[][] | null = null;
  /** The network of the association being made or held. */
  private network: LinkNetwork | null = null;
  /** The BSS we were associated with when a roam began: the Reassociation Request's Current AP address. */
  private reassociateFrom: Buffer | null = null;
  /** wpa_supplicant_req_auth_timeout (AUTH_TIMEOUT_MS), while one is set. */
  private authTimer: (() => void) | null = null;
  private connectionMonitor: (() => void) | null = null;
  private beaconMonitor: (() => void) | null = null;
  /** The move to the channel our AP announced (Channel Switch Announcement), while it is pending. */
  private channelSwitch: (() => void) | null = null;
  /** Every BSS heard (Beacons, Probe Responses to us), for SCAN_RESULTS; oldest first. */
  private bssTable = new Map<string, Omit<BssRecord, 'ageSeconds'> & { seen: number; probeElements?: Element[] }>();
  /** wpa_bss ids (bss_next_id) and the scan-results update counter (bss_update_idx). */
  private nextBssId = 0;
  private bssUpdateIdx = 0;
  private userScanTimer: (() => void) | null = null;
  /** Sequence control of the last frame from the AP we are with, for duplicate detection. */
  private lastSequenceControl = -1;
  /** When the AP last sent us a frame (the connection monitor's clock). */
  private lastUnicastAt = 0;
  /** Four-address mode of the current association. */
  fourAddress = false;
  /** The VLAN ID the primary network's frames carry on this backhaul link (backhaulLinkVlan), 0 for none. */
  linkVlanId = 0;
  /** The TK of the current connection (set when the handshake installed keys). */
  tk: Buffer | null = null;
  /** A PMK derived from the passphrase for this association; wiped with the TK. */
  private derivedPmk: Buffer | null = null;
  /** The daemon's live network list (temporarily disabled networks, failures); without it, the groups given to connect(). */
  private selection: NetworkSelection | null = null;
  /** The ignore list when no daemon gives its own. */
  private readonly ownIgnoreList = new BssidIgnoreList();
  /** wpa_s->consecutive_conn_failures: connection failures since the last completed connection. */
  private consecutiveFailures = 0;
  /** stop() has run: the interface is gone. */
  private deinitialised = false;

  constructor(private readonly options: RadioStaOptions) {}

  useNetworkSelection(selection: NetworkSelection): void {
    this.selection = selection;
  }

  private get ignoreList(): BssidIgnoreList {
    return this.selection?.bssidIgnore ?? this.ownIgnoreList;
  }

  get connectedBssid(): Buffer | null {
    return this.state === 'connected' && this.bss ? this.bss.bssid : null;
  }

  /** What STATUS shows of the radio: wpa_supplicant's wpa_state names, and the BSS once associated. */
  linkStatus(): LinkStatus {
    const wpaState = RADIO_WPA_STATE[this.state];
    if (!this.bss || !['eap', 'handshake', 'connected'].includes(this.state)) return { wpaState };
    const status: LinkStatus = { wpaState, bssid: this.bss.bssid, frequency: this.options.port.frequency, ssid: this.bss.ssid };
    if (this.state === 'eap') status.keyMgmt = 'WPS';
    if (this.state === 'connected') Object.assign(status, { pairwiseCipher: 'CCMP', groupCipher: 'CCMP', keyMgmt: 'WPA2-PSK' });
    if (this.network && this.state !== 'eap') status.networkId = this.network.id;
    return status;
  }

  private note(text: string): void {
    this.options.note?.(text);
  }

  private send(frame: Frame): void {
    this.options.port.send(encodeFrame(frame));
  }

  private seq(): number {
    return this.sequence++ & 0xfff;
  }

  private setTimer(ms: number, fn: () => void): void {
    this.timer?.();
    this.timer = this.options.scheduler.schedule(ms, fn);
  }

  // ---- StaLink -------------------------------------------------------------------------------

  startAttempt(handler: WscHandler, request?: WpsRequest): void {
    // wps_supplicant.c wpas_wps_temp_disable: a network in use is deauthenticated first.
    if (this.holdsNetwork()) this.deauthenticate(ReasonCode.DeauthLeaving);
    else this.leave(ReasonCode.DeauthLeaving);
    this.target = { kind: 'wps', request: request ?? { method: { kind: 'pbc' }, bssid: 'any' }, handler };
    this.searchStarted = this.options.scheduler.now();
    this.startScan();
  }

  stopAttempt(): void {
    if (this.target?.kind !== 'wps') return;
    // wpas_wps_cancel deauthenticates only from ASSOCIATED on; before that it just drops the run.
    if (this.state === 'eap' || this.state === 'handshake' || this.state === 'connected') this.deauthenticate(ReasonCode.DeauthLeaving);
    else this.leave(ReasonCode.DeauthLeaving);
    this.target = null;
    this.state = 'idle';
  }

  /** Scans, then picks a network and a BSS from `groups` (highest priority first) and connects. */
  connect(groups: LinkNetwork[][]): void {
    const candidates = groups.filter((group) => group.length > 0);
    if (candidates.length === 0) return;
    if (this.state === 'eap' && this.eap) {
      // Credentials arrive with M8, before WSC_Done went out: finish the EAP exchange first
      // (Done, EAP-Failure), then deauthenticate and connect, as wpa_supplicant does.
      this.pendingGroups = candidates;
      return;
    }
    this.pendingGroups = null;
    // wpa_supplicant_select_network deauthenticates from the network in use.
    if (this.holdsNetwork()) this.deauthenticate(ReasonCode.DeauthLeaving);
    else this.leave(ReasonCode.DeauthLeaving);
    this.target = { kind: 'network', groups: candidates };
    this.startScan();
  }

  /**
   * REASSOCIATE (wpas_request_connection): a scan, then the network choice again; while connected
   * the STA reassociates (Reassociation Request, no disconnection) with the BSS it picks.
   */
  reassociate(groups: LinkNetwork[][]): void {
    const candidates = groups.filter((group) => group.length > 0);
    if (this.state !== 'connected' || candidates.length === 0) return this.connect(candidates);
    this.target = { kind: 'network', groups: candidates };
    this.runUserScan(() => {
      if (this.state !== 'connected') return;
      const choice = this.pickNetwork(candidates, this.tableResults());
      if (choice) this.reassociateWith(choice.bss, choice.network);
    });
  }

  /**
   * ROAM <bssid> (wpa_supplicant_ctrl_iface_roam): the BSS must be in the BSS table with the
   * current network's SSID; false otherwise (FAIL).
   */
  roam(bssid: Buffer): boolean {
    const network = this.network;
    if (!network || !this.bss || !['eap', 'handshake', 'connected'].includes(this.state)) return false;
    const bss = this.tableResults().find((r) => r.bssid.equals(bssid) && r.ssid.equals(network.ssid));
    if (!bss) return false;
    this.reassociateWith(bss, network);
    return true;
  }

  /**
   * Authentication with `bss`, then a Reassociation Request naming the BSS we leave. As mac80211
   * does for a new authentication while associated (ieee80211_mgd_auth), the old association is
   * dropped locally without a frame, and wpa_supplicant reports no disconnection.
   */
  private reassociateWith(bss: ScanResult, network: LinkNetwork): void {
    const from = this.bss?.bssid;
    this.cleanupLink();
    this.network = network;
    this.reassociateFrom = from ? Buffer.from(from) : null;
    this.authenticate(bss);
  }

  /**
   * DISCONNECT, and the network in use removed, disabled or replaced (FLUSH, RECONFIGURE): the
   * reference deauthenticates when it has a current network. True when there was one; for a
   * DISCONNECT without one the daemon prints the DSCP line that 2.10 prints in any state.
   */
  disconnect(): boolean {
    const held = this.holdsNetwork();
    if (held) this.deauthenticate(ReasonCode.DeauthLeaving);
    else this.leave(ReasonCode.DeauthLeaving);
    this.target = null;
    this.state = 'idle';
    this.authTimer?.();
    this.authTimer = null;
    return held;
  }

  // ---- scanning ------------------------------------------------------------------------------

  private armAuthTimeout(): void {
    const target = this.target;
    if (target?.kind !== 'network') return;
    this.authTimer?.();
    this.authTimer = this.options.scheduler.schedule(AUTH_TIMEOUT_MS, () => {
      this.authTimer = null;
      if (this.target === target && this.state === 'handshake') this.authTimedOut();
    });
  }

  /**
   * wpa_supplicant_timeout: "Authentication with BSSID timed out.", the BSS on the ignore list
   * (wpa_bssid_ignore_add alone: no connection-failure count), deauthenticated, and a scan in 1 s
   * ("the AP or the local radio may be busy").
   */
  private authTimedOut(): void {
    const bss = this.bss;
    if (!bss) return;
    this.options.emit(`Authentication with ${formatMac(bss.bssid)} timed out.`);
    this.noteIgnored(bss.bssid, this.ignoreList.add(bss.bssid, this.options.scheduler.now()));
    this.deauthenticate(ReasonCode.DeauthLeaving);
    this.state = 'idle';
    this.setTimer(RESCAN_MS, () => this.startScan());
  }

  /** The reference's debug line for a BSS put on the ignore list (wpa_bssid_ignore_add). */
  private noteIgnored(bssid: Buffer, count: number): number {
    const text = formatMac(bssid);
    this.note(count === 1 ? `Added BSSID ${text} into ignore list, ignoring for ${ignoreSeconds(1)} seconds` : `BSSID ${text} ignore list count incremented to ${count}, ignoring for ${ignoreSeconds(count)} seconds`);
    return count;
  }

  private startScan(): void {
    this.state = 'scanning';
    this.scanFound.clear();
    const target = this.target;
    if (!target) return;
    if (!this.options.passiveScan) {
      // wpa_supplicant_scan: the wildcard SSID, and one directed Probe Request per scan_ssid=1
      // network (the only way to find a hidden AP).
      const hidden = target.kind === 'network' ? target.groups.flat().filter((n) => n.scanSsid === true) : [];
      const ssids = [Buffer.alloc(0), ...hidden.map((n) => n.ssid)];
      const bssid = target.kind === 'wps' && target.request.bssid !== 'any' ? target.request.bssid : Buffer.alloc(6, 0xff);
      for (const ssid of ssids) {
        const elements: Element[] = [ssidElement(ssid), ...this.probeRates()];
        if (target.kind === 'wps') elements.push(...wpsElements(probeRequestWpsAttributes(this.options.device(), target.request.method.kind === 'pbc')));
        this.send({ kind: 'probe-request', header: mgmtHeader('probe-request', Buffer.alloc(6, 0xff), this.options.port.mac, bssid, this.seq()), elements });
      }
    }
    this.options.emit('CTRL-EVENT-SCAN-STARTED ');
    this.setTimer(this.options.passiveScan ? SCAN_DWELL_MS * 2 : SCAN_DWELL_MS, () => this.scanDone());
  }

  private scanDone(): void {
    const target = this.target;
    if (!target || this.state !== 'scanning') return;
    this.bssUpdateIdx++;
    this.options.emit('CTRL-EVENT-SCAN-RESULTS ');
    const results = [...this.scanFound.values()];
    let chosen: ScanResult | 'overlap' | null;
    if (target.kind === 'wps') {
      chosen = this.chooseWpsAp(target.request, results);
    } else {
      // As wpa_supplicant, the selection reads the network list as it is now (a passphrase changed with SET_NETWORK counts).
      if (this.selection) target.groups = this.selection.candidates().filter((group) => group.length > 0);
      if (target.groups.length === 0) {
        // wpa_supplicant_scan: "No enabled networks - do not scan"; an ENABLE_NETWORK or a new network starts again.
        this.authTimer?.();
        this.authTimer = null;
        this.target = null;
        this.state = 'idle';
        return;
      }
      const wait = this.timeToReenable(target.groups);
      if (wait > 0) {
        // wpas_select_network_from_last_scan: every enabled network is temporarily disabled, so
        // nothing is tried (and nothing scanned) until the first comes back (wpas_network_reenabled).
        this.note(`postponing network selection by ${Math.ceil(wait / 1000)} s: all networks are temporarily disabled`);
        this.authTimer?.();
        this.authTimer = null;
        this.setTimer(wait, () => this.startScan());
        return;
      }
      const choice = this.pickNetwork(target.groups, results);
      this.network = choice?.network ?? null;
      chosen = choice?.bss ?? null;
    }
    if (chosen === 'overlap') return;
    if (!chosen) {
      this.setTimer(RESCAN_MS, () => this.startScan());
      return;
    }
    this.authenticate(chosen);
  }

  private authenticate(bss: ScanResult): void {
    this.bss = bss;
    this.state = 'authenticating';
    this.options.emit(`SME: Trying to authenticate with ${this.bssDescription(bss)}`);
    this.send({ kind: 'authentication', header: mgmtHeader('authentication', bss.bssid, this.options.port.mac, bss.bssid, this.seq()), algorithm: 0, sequence: 1, status: 0, elements: [] });
    this.setTimer(MLME_TIMEOUT_MS, () => this.attemptFailed('authentication timed out'));
  }

  /** The BSS as sme.c's "Trying to authenticate/associate with" lines name it (SSID by wpa_ssid_txt). */
  private bssDescription(bss: ScanResult): string {
    return `${formatMac(bss.bssid)} (SSID='${ssidText(bss.ssid)}' freq=${this.options.port.frequency} MHz)`;
  }

  private chooseWpsAp(request: WpsRequest, results: ScanResult[]): ScanResult | 'overlap' | null {
    const entries: (WpsScanEntry & { result: ScanResult })[] = [];
    for (const result of results) {
      try {
        const wps = parseWpsElements(result.elements);
        if (wps) entries.push({ bssid: result.bssid, ssid: result.ssid, wps, result });
      } catch (error) {
        expectDecodeError(error);
        // A malformed WPS IE: the AP is not a candidate.
      }
    }
    const selection = selectWpsAp(entries, {
      method: request.method.kind,
      ownMac: this.options.port.mac,
      ...(request.bssid !== 'any' ? { bssid: request.bssid } : {}),
      anyWpsAp: this.options.scheduler.now() - this.searchStarted >= PIN_ANY_AP_AFTER_MS,
    });
    if (selection.kind === 'overlap') {
      this.note(`PBC session overlap: ${selection.entries.map((e) => formatMac(e.bssid)).join(', ')}`);
      this.options.emit('WPS-OVERLAP-DETECTED PBC session overlap');
      this.state = 'idle';
      this.options.cancelWps();
      return 'overlap';
    }
    return selection.kind === 'selected' ? entries.find((e) => e.bssid.equals(selection.entry.bssid))!.result : null;
  }

  /**
   * wpa_supplicant_pick_network: the priority groups from the highest down; in each, the first BSS
   * of the sorted scan results that one of the group's networks matches. The results are sorted as
   * wpa_scan_result_compar does: BSSs with an RSN element first (the medium gives every BSS the
   * same signal, so nothing else orders them; the sort is stable, so the order they were heard in
   * stays).
   */
  private pickNetwork(groups: LinkNetwork[][], results: ScanResult[]): { bss: ScanResult; network: LinkNetwork } | null {
    const sorted = [...results].sort((a, b) => Number(hasRsn(b)) - Number(hasRsn(a)));
    const ignore = this.ignoreList;
    const now = this.options.scheduler.now();
    // wpa_bssid_ignore_get: while connected with a network read or changed since the list was last
    // looked at with it current, the list starts afresh.
    if (this.network && this.selection?.takeReconfigured(this.network.id)) ignore.clear();
    // wpa_scan_res_match: with a single enabled network one failure keeps a BSS out; with more it
    // takes two, so that one failure does not push the STA to a worse ESS.
    const limit = (this.selection?.enabledNetworkCount() ?? groups.flat().length) === 1 ? 0 : 1;
    for (;;) {
      for (const group of groups) {
        for (const bss of sorted) {
          if (ignore.isListed(bss.bssid, now) > limit) continue;
          const network = group.find((n) => this.networkMatches(n, bss));
          if (network) return { bss, network };
        }
      }
      if (ignore.empty) return null;
      // wpa_supplicant_pick_network: "No APs found - clear BSSID ignore list and try again".
      this.note('No APs found - clear BSSID ignore list and try again');
      ignore.clear();
    }
  }

  /** wpas_reenabled_network_time: 0 unless every candidate is temporarily disabled, else the time until the first comes back. */
  private timeToReenable(groups: LinkNetwork[][]): number {
    if (!this.selection) return 0;
    let first = 0;
    for (const network of groups.flat()) {
      const left = this.selection.disabledFor(network.id);
      if (left === 0) return 0;
      if (first === 0 || left < first) first = left;
    }
    return first;
  }

  private networkMatches(network: LinkNetwork, bss: ScanResult): boolean {
    // wpa_scan_res_match: "skip - disabled temporarily".
    if (this.selection && this.selection.disabledFor(network.id) > 0) return false;
    const secured = network.passphrase !== undefined || network.psk !== undefined;
    return bss.ssid.equals(network.ssid) && (!secured || isWpa2PskCcmp(findElement(bss.elements, ElementId.Rsn)));
  }

  /** The BSS table as scan results (for a choice made without a new scan of our own). */
  private tableResults(): ScanResult[] {
    return this.scanResults().map((e) => ({ bssid: e.bssid, ssid: e.ssid, elements: e.elements, probeResponse: false, beaconInterval: e.beaconInterval ?? 100, capability: e.capability }));
  }

  /**
   * An authentication or association that failed or timed out (sme_event_auth, sme_event_auth_timed_out,
   * sme_event_assoc_timed_out): for a network, a connection failure; a WPS run tries again as before.
   */
  private attemptFailed(why: string): void {
    const bss = this.bss;
    const network = this.network;
    if (this.target?.kind !== 'network' || !bss) return this.retry(why);
    this.note(why);
    this.leave(ReasonCode.DeauthLeaving);
    this.connectionFailed(bss, network, false);
  }

  /**
   * wpas_connection_failed for a network: the BSS goes on the ignore list, twice when another BSS
   * of its ESS that is not ignored has been seen (so that one is tried next); one more failure in a
   * row, which from the fourth on also counts against the network (wpas_auth_failed "CONN_FAILED");
   * and a scan after a delay that grows with the count. After a disconnection events.c has already
   * asked for a scan in 100 ms, and wpa_supplicant_req_scan keeps the sooner of the two.
   */
  private connectionFailed(bss: ScanResult, network: LinkNetwork | null, disconnected: boolean): void {
    if (this.target?.kind !== 'network') return;
    // The attempt's own timeout goes, as wpas_connection_failed cancels wpa_supplicant_timeout.
    this.authTimer?.();
    this.authTimer = null;
    const now = this.options.scheduler.now();
    const ignore = this.ignoreList;
    // wpa_bssid_ignore_get: a network read or changed since its last failure starts the list afresh.
    if (network && this.selection?.takeReconfigured(network.id)) ignore.clear();
    if (this.noteIgnored(bss.bssid, ignore.add(bss.bssid, now)) === 1 && this.otherBssInEss(bss)) {
      this.note('Another BSS in this ESS has been seen; try it next');
      this.noteIgnored(bss.bssid, ignore.add(bss.bssid, now));
    }
    this.consecutiveFailures++;
    if (this.consecutiveFailures > CONN_FAILED_AFTER && network) {
      this.note('Continuous association failures - consider temporary network disabling');
      this.selection?.authFailed(network.id, 'CONN_FAILED');
    }
    const delay = connectionFailureScanDelayMs(this.consecutiveFailures);
    this.note(`Consecutive connection failures: ${this.consecutiveFailures} --> request scan in ${delay} ms`);
    this.setTimer(disconnected ? Math.min(DISASSOC_RESCAN_MS, delay) : delay, () => this.startScan());
  }

  /** get_bss_freqs_in_ess: another BSS of the table with the same SSID that is not ignored now. */
  private otherBssInEss(bss: ScanResult): boolean {
    const now = this.options.scheduler.now();
    return this.bssRecords().some((e) => !e.bssid.equals(bss.bssid) && e.ssid.equals(bss.ssid) && this.ignoreList.isListed(e.bssid, now) === 0);
  }

  private retry(why: string): void {
    this.note(why);
    this.leave(ReasonCode.DeauthLeaving);
    if (this.target) this.setTimer(RESCAN_MS, () => this.startScan());
  }

  // ---- frames from the medium ----------------------------------------------------------------

  receive(bytes: Buffer): void {
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch (error) {
      expectDecodeError(error);
      return;
    }
    const own = this.options.port.mac;
    if (frame.kind === 'beacon' || frame.kind === 'probe-response') {
      if (frame.kind === 'beacon' || frame.header.addr1.equals(own)) this.rememberBss(frame);
      if (this.state === 'connected' && this.bss && frame.header.addr3.equals(this.bss.bssid)) {
        if (frame.kind === 'beacon' || frame.header.addr1.equals(own)) this.armBeaconMonitor();
        this.followChannelSwitch(frame.elements, frame.beaconInterval);
        return;
      }
      if (this.state !== 'scanning') return;
      if (frame.kind === 'probe-response' && !frame.header.addr1.equals(own)) return;
      const key = formatMac(frame.header.addr3);
      const previous = this.scanFound.get(key);
      // A Probe Response describes the AP better (UUID-E, device attributes) than its Beacon.
      if (previous?.probeResponse && frame.kind === 'beacon') return;
      const ssid = findElement(frame.elements, ElementId.Ssid)?.data ?? Buffer.alloc(0);
      this.scanFound.set(key, {
        bssid: Buffer.from(frame.header.addr3),
        ssid: Buffer.from(ssid),
        elements: frame.elements,
        probeResponse: frame.kind === 'probe-response',
        beaconInterval: frame.beaconInterval,
        capability: frame.capability,
      });
      return;
    }
    if (!this.bss || !frame.header.addr2.equals(this.bss.bssid)) return;
    if (!frame.header.addr1.equals(own)) {
      // mac80211 (ieee80211_rx_mgmt_deauth/disassoc) honours a group-addressed Deauthentication or
      // Disassociation from the BSS it is associated with, as hostapd sends for "deauthenticate
      // ff:ff:ff:ff:ff:ff"; group frames skip duplicate detection (ieee80211_rx_h_check_dup).
      const group = (frame.header.addr1[0]! & 1) === 1;
      if (group && (frame.kind === 'deauthentication' || frame.kind === 'disassociation') && frame.header.addr3.equals(this.bss.bssid)) this.onDeauthenticated(frame.reason);
      // A group-addressed data frame of our BSS (FromDS: Address 1 the group, Address 2 the BSSID).
      if (group && frame.kind === 'data' && (frame.header.flags & (FcFlag.ToDs | FcFlag.FromDs)) === FcFlag.FromDs) this.deliverData(frame);
      return;
    }
    // Duplicate detection (802.11-2020 §10.3.2.14, mac80211's ieee80211_rx_h_check_dup).
    const repeated = (frame.header.flags & FcFlag.Retry) !== 0 && this.lastSequenceControl === frame.header.sequenceControl;
    this.lastSequenceControl = frame.header.sequenceControl;
    if (repeated) return;
    this.lastUnicastAt = this.options.scheduler.now();
    switch (frame.kind) {
      case 'authentication':
        return this.onAuthentication(frame);
      case 'association-response':
      case 'reassociation-response':
        return this.onAssociationResponse(frame);
      case 'deauthentication':
      case 'disassociation':
        return this.onDeauthenticated(frame.reason);
      case 'data':
        return this.onData(frame);
      default:
        return;
    }
  }

  /**
   * A Channel Switch Announcement from our AP: the radio moves when the count runs out (mac80211
   * ieee80211_sta_process_chanswitch) and wpa_supplicant reports the driver's two events.
   */
  private followChannelSwitch(elements: Element[], beaconInterval: number): void {
    const announced = parseChannelSwitch(elements);
    if (!announced || this.channelSwitch || announced.newChannel === this.options.port.channel) return;
    const freq = channelFrequency(announced.newChannel);
    const details = `freq=${freq} ht_enabled=0 ch_offset=0 ch_width=20 MHz (no HT) cf1=${freq} cf2=0`;
    this.options.emit(`CTRL-EVENT-STARTED-CHANNEL-SWITCH ${details}`);
    // Just before the AP's target beacon time, so that its first Beacon on the new channel is heard.
    const wait = Math.max(announced.count, 1) * Math.max(1, beaconInterval) * TU_MS - 1;
    this.channelSwitch = this.options.scheduler.schedule(wait, () => {
      this.channelSwitch = null;
      this.options.port.setChannel(announced.newChannel);
      this.note(`followed the AP to channel ${announced.newChannel}`);
      this.options.emit(`CTRL-EVENT-CHANNEL-SWITCH ${details}`);
    });
  }

  /** mac80211's Probe Request rates part (ieee80211_build_preq_ies_band): rates, extended rates, DS Parameter Set. */
  private probeRates(): Element[] {
    return [...staRateElements(), dsElement(this.options.port.channel)];
  }

  private onAuthentication(frame: Extract<Frame, { kind: 'authentication' }>): void {
    if (this.state !== 'authenticating' || frame.sequence !== 2 || !this.bss || !this.target) return;
    if (frame.status !== 0) {
      // sme_event_auth: the refusal is reported with the frame's fields, then counted as a connection failure.
      const ies = frame.elements.length > 0 ? ` ie=${Buffer.concat(frame.elements.map((e) => Buffer.from([e.id, e.data.length, ...e.data]))).toString('hex')}` : '';
      this.options.emit(`CTRL-EVENT-AUTH-REJECT ${formatMac(this.bss.bssid)} auth_type=${frame.algorithm} auth_transaction=${frame.sequence} status_code=${frame.status}${ies}`);
      return this.attemptFailed(`authentication refused, status ${frame.status}`);
    }
    this.state = 'associating';
    this.options.emit(`Trying to associate with ${this.bssDescription(this.bss)}`);
    const elements: Element[] = [ssidElement(this.bss.ssid), ...staRateElements()];
    const target = this.target;
    if (target.kind === 'wps') {
      elements.push(...wpsElements(assocRequestWpsAttributes()));
      // WPS_PBC multi_ap=N: the temporary WPS network has multi_ap_backhaul_sta=1 (wpas_wps_start_pbc).
      const request = target.request.multiApRequest;
      if (request) elements.push(multiApElement({ extension: MultiApBit.BackhaulSta, profile: request.profile, vlanId: 0 }));
    } else if (this.network) {
      if (this.network.passphrase !== undefined || this.network.psk !== undefined) elements.push(rsnElement());
      // wpa_supplicant 2.11 (wpas_populate_assoc_ies): the network's multi_ap_profile, 0 when unset.
      if (this.network.multiApBackhaulSta) elements.push(multiApElement({ extension: MultiApBit.BackhaulSta, profile: this.network.multiApProfile ?? 0, vlanId: 0 }));
    }
    // mac80211 (ieee80211_send_assoc): ESS, short preamble and slot time, Privacy as the BSS
    // announces it; its default listen interval is 5.
    const capability = Capability.Ess | Capability.ShortPreamble | Capability.ShortSlotTime | (this.bss.capability & Capability.Privacy);
    const currentAp = this.reassociateFrom;
    if (currentAp) {
      this.send({
        kind: 'reassociation-request',
        header: mgmtHeader('reassociation-request', this.bss.bssid, this.options.port.mac, this.bss.bssid, this.seq()),
        capability,
        listenInterval: LISTEN_INTERVAL,
        currentAp,
        elements,
      });
    } else {
      this.send({ kind: 'association-request', header: mgmtHeader('association-request', this.bss.bssid, this.options.port.mac, this.bss.bssid, this.seq()), capability, listenInterval: LISTEN_INTERVAL, elements });
    }
    this.setTimer(MLME_TIMEOUT_MS, () => this.attemptFailed('association timed out'));
  }

  private onAssociationResponse(frame: Extract<Frame, { kind: 'association-response' | 'reassociation-response' }>): void {
    const target = this.target;
    const bss = this.bss;
    if (this.state !== 'associating' || !target || !bss) return;
    this.timer?.();
    this.reassociateFrom = null;
    if (frame.status !== 0) {
      this.options.emit(`CTRL-EVENT-ASSOC-REJECT bssid=${formatMac(bss.bssid)} status_code=${frame.status}`);
      const network = this.network;
      this.bss = null;
      this.state = 'idle';
      if (target.kind === 'wps') this.setTimer(RESCAN_MS, () => this.startScan());
      // sme_event_assoc_reject -> sme_deauth -> wpas_connection_failed.
      else this.connectionFailed(bss, network, false);
      return;
    }
    const network = this.network;
    if (target.kind === 'network' && !network) return;
    const backhaulSta = target.kind === 'wps' ? target.request.multiApRequest !== undefined : network!.multiApBackhaulSta;
    this.fourAddress = false;
    this.linkVlanId = 0;
    if (backhaulSta) {
      const response = parseMultiApElement(frame.elements);
      const decision = staAssociationDecision(response, target.kind === 'wps');
      if (!decision.accept) {
        this.note(decision.why);
        this.sendDeauth(ReasonCode.DeauthLeaving);
        this.options.emit(`CTRL-EVENT-DISCONNECTED bssid=${formatMac(bss.bssid)} reason=${ReasonCode.DeauthLeaving} locally_generated=1`);
        this.options.emit(DSCP_POLICY_CLEAR_ALL);
        // events.c: multi_ap_set_4addr_mode deauthenticates, but wpa_supplicant_event_assoc goes on
        // and still reports the association it has just ended.
        this.options.emit(associatedWith(bss.bssid));
        this.options.emit(SUBNET_STATUS_UNKNOWN);
        const network = this.network;
        this.bss = null;
        this.state = 'idle';
        // The reference keeps retrying until the WPS walk time ends.
        if (target.kind === 'wps') this.setTimer(RESCAN_MS, () => this.startScan());
        else this.connectionFailed(bss, network, true);
        return;
      }
      this.fourAddress = decision.fourAddress;
      const ownProfile = target.kind === 'wps' ? target.request.multiApRequest!.profile : (network!.multiApProfile ?? 0);
      if (this.fourAddress && response.kind === 'present') this.linkVlanId = backhaulLinkVlan(response.element, ownProfile);
    }
    this.note(`associated with ${formatMac(bss.bssid)}${this.fourAddress ? ' (four-address mode)' : ''}${this.linkVlanId ? `, primary VLAN ${this.linkVlanId} tagged` : ''}`);
    // mac80211 (ieee80211_send_4addr_nullfunc) tells the AP at once that this station talks four-address.
    if (this.fourAddress) this.send(nullDataFrame(bss.bssid, this.options.port.mac, this.seq(), true));
    this.options.emit(associatedWith(bss.bssid));
    if (target.kind === 'wps') {
      this.startEap(target.handler, bss);
    } else if (network!.passphrase === undefined && network!.psk === undefined) {
      // Without a key wpa_supplicant_event_assoc completes the connection itself, before the subnet line.
      this.connected(network!, bss);
    } else {
      // events.c: "Timeout for receiving the first EAPOL packet".
      this.eapolReceived = false;
      this.armAuthTimeout();
      this.startHandshake(network!, bss);
    }
    this.options.emit(SUBNET_STATUS_UNKNOWN);
  }

  private startEap(handler: WscHandler, bss: ScanResult): void {
    this.state = 'eap';
    const eap = new StaEapLink({
      ownMac: this.options.port.mac,
      scheduler: this.options.scheduler,
      port: {
        send: (ethernet) => {
          const e = decodeEthernet(ethernet);
          this.send(dataFrame({ kind: 'to-ap', bssid: bss.bssid, sa: this.options.port.mac, da: bss.bssid }, e.etherType, e.payload, this.seq()));
        },
      },
      onEvent: (event) => {
        for (const line of supplicantEventLines(event)) this.options.emit(line);
        if (event.type !== 'ended') return;
        // wpa_supplicant deauthenticates after the WPS run (reason 3, locally generated), then
        // connects with the new network if the run gave one.
        this.options.scheduler.schedule(0, () => {
          if (this.eap !== eap) return;
          this.deauthenticate(ReasonCode.DeauthLeaving);
          const next = this.pendingGroups;
          this.pendingGroups = null;
          if (next) this.connect(next);
        });
      },
    });
    this.eap = eap;
    eap.startAttempt(handler);
  }

  private startHandshake(network: LinkNetwork, bss: ScanResult): void {
    this.state = 'handshake';
    const apRsn = findElement(bss.elements, ElementId.Rsn)?.data ?? Buffer.alloc(0);
    const pmk = network.psk ?? pmkFromPassphrase(network.passphrase!, network.ssid);
    wipe(this.derivedPmk);
    this.derivedPmk = network.psk ? null : pmk;
    // wpa_supplicant's eapol_version default is 1 (hostapd's is 2), on EAPOL-Key frames too.
    const machine = new Supplicant4Way({ pmk, aa: bss.bssid, spa: this.options.port.mac, rng: this.options.rng, apRsn, ownRsn: rsnElement().data, eapolVersion: 1 });
    const runner = new MachineRunner(machine, this.options.scheduler, {
      send: (pdu) => this.sendData(ETHERTYPE_EAPOL, pdu),
      event: (event) => {
        if (event.type === 'keys-installed') {
          this.tk = event.tk;
          this.connected(network, bss);
        } else if (event.type === 'failed') {
          this.note(`four-way handshake failed (${event.reason})`);
          this.sendDeauth(event.reasonCode);
          this.options.emit(`CTRL-EVENT-DISCONNECTED bssid=${formatMac(bss.bssid)} reason=${event.reasonCode} locally_generated=1`);
          this.dropLink();
          // could_be_psk_mismatch: our own "IE in 4-way differs" is no sign of a wrong key.
          if (event.reasonCode !== HandshakeReason.IeDifferent) this.handshakeFailed(network);
          // wpa_sm_deauthenticate is wpa_supplicant_deauthenticate: the disconnection event runs first, then clear_connection.
          this.options.emit(DSCP_POLICY_CLEAR_ALL);
          this.connectionFailed(bss, network, true);
        }
      },
    });
    this.handshake = { runner, machine };
  }

  /**
   * events.c could_be_psk_mismatch: the connection was lost during the first four-way handshake
   * with a PSK, which is what a wrong passphrase looks like (the AP drops our message 2 and gives
   * up with reason 15); the network is counted a failure (wpas_auth_failed "WRONG_KEY").
   */
  private handshakeFailed(network: LinkNetwork): void {
    this.options.emit('WPA: 4-Way Handshake failed - pre-shared key may be incorrect');
    this.selection?.authFailed(network.id, 'WRONG_KEY');
  }

  private connected(network: LinkNetwork, bss: ScanResult): void {
    this.state = 'connected';
    this.authTimer?.();
    this.authTimer = null;
    this.options.emit(`CTRL-EVENT-CONNECTED - Connection to ${formatMac(bss.bssid)} completed [id=${network.id} id_str=]`);
    this.selection?.completed(network.id);
    // wpa_supplicant_set_state(COMPLETED) starts the count again; wpa_supplicant_cancel_auth_timeout
    // takes the BSS off the ignore list (the rest of the list stays).
    this.consecutiveFailures = 0;
    this.ignoreList.delete(bss.bssid);
    this.armConnectionMonitor();
    this.armBeaconMonitor();
  }

  /**
   * Beacon-loss detection as mac80211 does it: no Beacon from the AP for BEACON_LOSS_COUNT
   * intervals, then unicast Probe Requests; when none is answered the connection is lost (reason 4,
   * locally generated, after a Deauthentication in case the AP is still there) and the network is
   * looked for again.
   */
  private armBeaconMonitor(tries = 0): void {
    this.beaconMonitor?.();
    const bss = this.bss;
    if (!bss) return;
    const wait = tries === 0 ? BEACON_LOSS_COUNT * Math.max(1, bss.beaconInterval) * TU_MS : PROBE_WAIT_MS;
    this.beaconMonitor = this.options.scheduler.schedule(wait, () => {
      this.beaconMonitor = null;
      if (this.state !== 'connected' || this.bss !== bss) return;
      if (tries >= MAX_PROBE_TRIES) return this.connectionLost(bss);
      this.send({ kind: 'probe-request', header: mgmtHeader('probe-request', bss.bssid, this.options.port.mac, bss.bssid, this.seq()), elements: [ssidElement(bss.ssid), ...this.probeRates()] });
      this.armBeaconMonitor(tries + 1);
    });
  }

  private connectionLost(bss: ScanResult): void {
    const reason = ReasonCode.DisassocDueToInactivity;
    this.note(`connection to ${formatMac(bss.bssid)} lost: no Beacon for ${BEACON_LOSS_COUNT} intervals and no answer to ${MAX_PROBE_TRIES} Probe Requests`);
    this.sendDeauth(reason);
    this.options.emit(`CTRL-EVENT-DISCONNECTED bssid=${formatMac(bss.bssid)} reason=${reason} locally_generated=1`);
    const network = this.network;
    this.dropLink();
    // wpa_supplicant_event_disassoc_finish: the AP, probably out of range, leaves the BSS table.
    this.bssTable.delete(formatMac(bss.bssid));
    this.connectionFailed(bss, network, true);
  }

  private rememberBss(frame: Extract<Frame, { kind: 'beacon' | 'probe-response' }>): void {
    const key = formatMac(frame.header.addr3);
    const previous = this.bssTable.get(key);
    this.bssTable.delete(key);
    if (this.bssTable.size >= BSS_MAX_COUNT) this.bssTable.delete(this.bssTable.keys().next().value!);
    // cfg80211_update_known_bss: a Probe Response's elements stand for the BSS until the next one;
    // a Beacon replaces only the Beacon elements, and the BSS's elements if they came from a Beacon.
    const probeElements = frame.kind === 'probe-response' ? frame.elements : previous?.probeElements;
    const beaconElements = frame.kind === 'beacon' ? frame.elements : previous?.beaconElements;
    const elements = probeElements ?? frame.elements;
    this.bssTable.set(key, {
      bssid: Buffer.from(frame.header.addr3),
      ssid: Buffer.from(findElement(elements, ElementId.Ssid)?.data ?? Buffer.alloc(0)),
      frequency: this.options.port.frequency,
      level: MEDIUM_SIGNAL_DBM,
      capability: frame.capability,
      elements,
      beaconInterval: frame.beaconInterval,
      tsf: frame.timestamp,
      id: previous?.id ?? this.nextBssId++,
      updateIdx: this.bssUpdateIdx,
      ...(probeElements ? { probeElements } : {}),
      ...(beaconElements ? { beaconElements } : {}),
      seen: this.options.scheduler.now(),
    });
  }

  /** SCAN: a wildcard active scan (or a passive dwell); refused while connecting or already scanning. */
  scan(): boolean {
    if (this.userScanTimer || !['idle', 'connected'].includes(this.state)) return false;
    this.runUserScan();
    return true;
  }

  private runUserScan(then?: () => void): void {
    this.userScanTimer?.();
    this.options.emit('CTRL-EVENT-SCAN-STARTED ');
    if (!this.options.passiveScan) {
      const header = mgmtHeader('probe-request', Buffer.alloc(6, 0xff), this.options.port.mac, Buffer.alloc(6, 0xff), this.seq());
      this.send({ kind: 'probe-request', header, elements: [ssidElement(Buffer.alloc(0)), ...this.probeRates()] });
    }
    this.userScanTimer = this.options.scheduler.schedule(this.options.passiveScan ? SCAN_DWELL_MS * 2 : SCAN_DWELL_MS, () => {
      this.userScanTimer = null;
      this.bssUpdateIdx++;
      this.options.emit('CTRL-EVENT-SCAN-RESULTS ');
      then?.();
    });
  }

  /** The BSS table for SCAN_RESULTS: entries heard in the last 180 s, oldest first. */
  scanResults(): BssEntry[] {
    return this.bssRecords();
  }

  radioCapability(): { channel: number; frequency: number } {
    return { channel: this.options.port.channel, frequency: this.options.port.frequency };
  }

  /** The BSS table for the BSS command (entries heard in the last 180 s). */
  bssRecords(): BssRecord[] {
    const now = this.options.scheduler.now();
    return [...this.bssTable.values()].filter((e) => now - e.seen <= BSS_EXPIRATION_MS).map((e) => ({ ...e, ageSeconds: Math.floor((now - e.seen) / 1000) }));
  }

  /**
   * BSS_FLUSH [age] (wpa_bss_flush / wpa_bss_flush_by_age): entries not updated in the last `age`
   * seconds (0: all) go, except the BSS in use.
   */
  flushBss(ageSeconds: number): void {
    const now = this.options.scheduler.now();
    for (const [key, entry] of this.bssTable) {
      if (this.bss?.bssid.equals(entry.bssid) && this.state !== 'idle' && this.state !== 'scanning') continue;
      if (ageSeconds === 0 || entry.seen < now - ageSeconds * 1000) this.bssTable.delete(key);
    }
  }

  forgetFailures(): void {
    this.consecutiveFailures = 0;
  }

  /** Every frame from the AP only stamps `lastUnicastAt`; the one timer looks at it when it fires. */
  private armConnectionMonitor(delay = CONNECTION_IDLE_MS): void {
    this.connectionMonitor?.();
    this.connectionMonitor = this.options.scheduler.schedule(delay, () => {
      this.connectionMonitor = null;
      if (this.state !== 'connected' || !this.bss) return;
      const quiet = this.options.scheduler.now() - this.lastUnicastAt;
      if (quiet < CONNECTION_IDLE_MS) return this.armConnectionMonitor(CONNECTION_IDLE_MS - quiet);
      this.send(nullDataFrame(this.bss.bssid, this.options.port.mac, this.seq()));
      this.lastUnicastAt = this.options.scheduler.now();
      this.armConnectionMonitor();
    });
  }

  private onData(frame: Extract<Frame, { kind: 'data' }>): void {
    if (!(frame.header.flags & FcFlag.FromDs)) return;
    if (frame.etherType !== ETHERTYPE_EAPOL) return this.deliverData(frame);
    if (this.state === 'eap' && this.eap && this.bss) {
      const { sa, da } = dataAddresses(frame.header);
      this.eap.receive(encodeEthernet({ dst: da, src: sa, etherType: ETHERTYPE_EAPOL, payload: frame.payload }));
    } else if (this.handshake) {
      // wpa_supplicant_rx_eapol: the first EAPOL frame of the association sets the timeout afresh.
      if (!this.eapolReceived) {
        this.eapolReceived = true;
        this.armAuthTimeout();
      }
      const { machine, runner } = this.handshake;
      runner.feed((now) => machine.receive(frame.payload, now));
    }
  }

  /**
   * A data frame other than EAPOL, from the AP we are connected with, up to the host (a bridge).
   * As mac80211's ieee80211_data_to_8023: a station in four-address mode takes four-address frames
   * only, any other station three-address (FromDS) frames only; a group frame that carries our own
   * address as its source is our own frame coming back from the AP and is dropped.
   */
  private deliverData(frame: Extract<Frame, { kind: 'data' }>): void {
    if (this.state !== 'connected' || !this.options.data) return;
    const wds = (frame.header.flags & (FcFlag.ToDs | FcFlag.FromDs)) === (FcFlag.ToDs | FcFlag.FromDs);
    if (wds !== this.fourAddress) return;
    const { sa, da } = dataAddresses(frame.header);
    if (sa.equals(this.options.port.mac) && (da[0]! & 0x01) !== 0) return;
    let body = { etherType: frame.etherType, payload: frame.payload };
    if (wds && this.linkVlanId) {
      // As the AP does: the primary network's frames come tagged with the link's VLAN.
      let untagged;
      try {
        untagged = vlanUntag(body);
      } catch (error) {
        return this.note(`dropped a data frame from ${formatMac(sa)}: ${expectDecodeError(error).message}`);
      }
      if (untagged?.vlanId === this.linkVlanId) body = untagged.body;
    }
    this.options.data({ sa, da, etherType: body.etherType, payload: body.payload, wds });
  }

  private onDeauthenticated(reason: number): void {
    const bss = this.bss;
    if (!bss) return;
    this.note(`deauthenticated by ${formatMac(bss.bssid)}, reason ${reason}`);
    const wasConnected = this.state === 'connected';
    const handshakeNetwork = this.state === 'handshake' ? this.network : null;
    const network = this.network;
    this.dropLink();
    if (wasConnected || handshakeNetwork) this.options.emit(`CTRL-EVENT-DISCONNECTED bssid=${formatMac(bss.bssid)} reason=${reason}`);
    if (handshakeNetwork) this.handshakeFailed(handshakeNetwork);
    // The AP may end the WPS association before our EAP layer saw the EAP-Failure (it was lost):
    // the credentials are in, so connect with them.
    const next = this.pendingGroups;
    this.pendingGroups = null;
    if (next) return this.connect(next);
    // As wpa_supplicant, a network in use is reconnected (a WPS attempt is the operation's business).
    if (this.target?.kind !== 'network') return;
    this.connectionFailed(bss, network, true);
    // wpa_supplicant_event_disassoc_finish: an AP that dropped a completed connection with a reason
    // it may recover from is tried again at once, without a scan, if the network may still be used.
    if (wasConnected && network && RECOVERABLE_REASONS.has(reason) && this.mayUse(network)) {
      this.note('Try to reconnect to the same BSS');
      this.network = network;
      this.authenticate(bss);
    }
  }

  /** wpas_network_disabled and wpas_temp_disabled: the network is enabled now and not temporarily disabled. */
  private mayUse(network: LinkNetwork): boolean {
    if (!this.selection) return true;
    return this.selection.candidates().some((group) => group.some((n) => n.id === network.id)) && this.selection.disabledFor(network.id) === 0;
  }

  /**
   * An Ethernet frame from the bridge to the AP, while connected: four-address in four-address mode
   * (anything may be behind us), else three-address and only with our own source address. False
   * when it cannot go.
   */
  sendEthernet(da: Buffer, sa: Buffer, etherType: number, payload: Buffer): boolean {
    if (this.state !== 'connected' || !this.bss) return false;
    if (!this.fourAddress && !sa.equals(this.options.port.mac)) return false;
    this.sendData(etherType, payload, da, sa);
    return true;
  }

  /**
   * A data frame to the AP: three-address, or four-address (A3 = A1 = AP) in four-address mode,
   * then 802.1Q-tagged with the link's primary VLAN when there is one.
   */
  sendData(etherType: number, payload: Buffer, da?: Buffer, sa?: Buffer): void {
    const bss = this.bss;
    if (!bss) return;
    const own = this.options.port.mac;
    if (this.fourAddress && this.state === 'connected') {
      const body = this.linkVlanId ? vlanTag(this.linkVlanId, { etherType, payload }) : { etherType, payload };
      this.send(dataFrame({ kind: 'wds', ra: bss.bssid, ta: own, da: da ?? bss.bssid, sa: sa ?? own }, body.etherType, body.payload, this.seq()));
    } else {
      this.send(dataFrame({ kind: 'to-ap', bssid: bss.bssid, sa: own, da: da ?? bss.bssid }, etherType, payload, this.seq()));
    }
  }

  private sendDeauth(reason: number): void {
    const bss = this.bss;
    if (!bss) return;
    this.send({ kind: 'deauthentication', header: mgmtHeader('deauthentication', bss.bssid, this.options.port.mac, bss.bssid, this.seq()), reason });
  }

  /** The association is over: link state cleared, back to idle. */
  private dropLink(): void {
    this.cleanupLink();
    this.bss = null;
    this.network = null;
    this.state = 'idle';
  }

  private cleanupLink(): void {
    this.timer?.();
    this.timer = null;
    this.connectionMonitor?.();
    this.connectionMonitor = null;
    this.beaconMonitor?.();
    this.beaconMonitor = null;
    this.channelSwitch?.();
    this.channelSwitch = null;
    this.lastSequenceControl = -1;
    this.reassociateFrom = null;
    this.eap?.stopAttempt();
    this.eap = null;
    this.handshake?.runner.stop();
    this.handshake = null;
    this.fourAddress = false;
    this.linkVlanId = 0;
    // The pairwise key dies with the association, as wpa_sm_drop_sa clears the PTK.
    wipe(this.tk, this.derivedPmk);
    this.tk = null;
    this.derivedPmk = null;
  }

  /** wpa_supplicant_deauthenticate: the BSS left, then wpa_supplicant_clear_connection's DSCP line. */
  private deauthenticate(reason: number): void {
    this.leave(reason);
    this.options.emit(DSCP_POLICY_CLEAR_ALL);
  }

  /** wpa_s->current_ssid is set: from the first Authentication frame until the association ends. */
  private holdsNetwork(): boolean {
    return this.bss !== null && this.state !== 'idle' && this.state !== 'scanning';
  }

  /** Leaves the current BSS (if any): deauthentication, local state cleared. */
  private leave(reason: number): void {
    if (this.bss && this.state !== 'scanning' && this.state !== 'idle' && this.state !== 'authenticating') {
      this.sendDeauth(reason);
      // Once associated, the driver reports the deauthentication and wpa_supplicant prints it: also
      // after a WPS exchange (CTRL-EVENT-EAP-FAILURE, then DISCONNECTED reason=3 locally_generated=1).
      if (this.state !== 'associating') this.options.emit(`CTRL-EVENT-DISCONNECTED bssid=${formatMac(this.bss.bssid)} reason=${reason} locally_generated=1`);
    }
    this.dropLink();
  }

  /**
   * The interface goes (TERMINATE, shutdown): wpa_supplicant_deinit_iface deauthenticates whatever
   * the state, then wpa_supplicant_cleanup clears the DSCP policies once more. Only once.
   */
  stop(): void {
    if (this.deinitialised) return;
    this.deinitialised = true;
    this.deauthenticate(ReasonCode.DeauthLeaving);
    this.options.emit(DSCP_POLICY_CLEAR_ALL);
    this.userScanTimer?.();
    this.userScanTimer = null;
    this.target = null;
    this.authTimer?.();
    this.authTimer = null;
  }
}
