/**
 * The AP side of a radio on the simulated medium, as hostapd's MLME does it for our purposes:
 * several BSSs per radio (e.g. a fronthaul BSS with WPS and a backhaul BSS without), Beacons every
 * 102.4 ms and Probe Responses with the WPS IE while WPS is enabled, Open System authentication,
 * (Re)Association with the multi_ap policy (association-policy.ts), then either 802.1X/EAP-WSC over
 * data frames (a WPS association, fronthaul BSSs only) or the WPA2 four-way handshake. A station is
 * connected (AP-STA-CONNECTED) when both sides installed the same keys; Multi-AP stations are put
 * in four-address mode and only they may send four-address data frames.
 */
import type { AuthenticatorEvent } from '../eap/index.js';
import { ETHERTYPE_EAPOL, decodeEthernet, encodeEthernet } from '../eap/index.js';
import type { Element, Frame, MacHeader, MultiApBss, MultiApStation } from '../ieee80211/index.js';
import {
  apAssociationDecision,
  Capability,
  backhaulLinkVlan,
  bssMultiApElement,
  channelSwitchElement,
  dataAddresses,
  dataFrame,
  decodeFrame,
  bssMaxIdleElement,
  dsElement,
  erpElement,
  extendedRates,
  supportedRates,
  timElement,
  ElementId,
  encodeFrame,
  FcFlag,
  findElement,
  isWpa2PskCcmp,
  mgmtHeader,
  multiApElement,
  parseMultiApElement,
  parseWpsElements,
  rateElements,
  ReasonCode,
  rsnElement,
  ssidElement,
  StatusCode,
  vlanTag,
  vlanUntag,
  wpsElements,
} from '../ieee80211/index.js';
import type { RadioPort } from '../sim/medium.js';
import type { Scheduler } from '../sim/scheduler.js';
import { wipe } from '../util/bytes.js';
import { BROADCAST_MAC, formatMac } from '../util/mac.js';
import type { Rng } from '../util/rng.js';
import type { HandshakeEvent } from '../wpa/index.js';
import { Authenticator4Way } from '../wpa/index.js';
import type { DeviceInfo, Registrar } from '../wsc/index.js';
import { assocResponseWpsAttributes, beaconWpsAttributes, probeResponseWpsAttributes } from '../wsc/probe-attributes.js';
import { MachineRunner } from './machine-runner.js';
import { ApEapLink } from './eap-links.js';
import { expectDecodeError } from '../util/errors.js';

export const BEACON_INTERVAL_TU = 100;
const BEACON_INTERVAL_MS = 102.4;
/** hostapd's dtim_period and ap_max_inactivity defaults (the latter is accepted, not acted on). */
const DTIM_PERIOD = 2;
const AP_MAX_INACTIVITY_S = 300;
/** hostapd's MAX_STA_COUNT, the default and the upper bound of `max_num_sta`. */
export const MAX_STA_COUNT = 2007;

export interface RadioBss {
  bssid: Buffer;
  /** Interface name of the BSS (`interface=` / `bss=`): the per-station WDS interfaces are named after it. */
  ifname: string;
  ssid: Buffer;
  /**
   * hostapd `ignore_broadcast_ssid`: 1 sends an empty SSID in Beacons, 2 one of the same length
   * filled with zeros; either way only Probe Requests naming the SSID are answered.
   */
  ignoreBroadcastSsid?: number;
  /** hostapd `wds_sta`: a station that sends four-address frames gets four-address (WDS) mode. */
  wdsSta?: boolean;
  /** hostapd `broadcast_deauth` (default on): broadcast Deauthentication at start and on flushes. */
  broadcastDeauth?: boolean;
  /** hostapd `auth_algs` (bit 0 Open System, the only algorithm the radio has; default 1). */
  authAlgs?: number;
  multiApBss: MultiApBss;
  /** PMK of a WPA2-PSK BSS (from the passphrase or the 64-hex PSK); null for an open BSS. */
  pmk: Buffer | null;
  /** The BSS's Registrar while WPS is enabled there (only fronthaul BSSs run WPS). */
  registrar: () => Registrar | null;
  /** Device attributes for the WPS IE. */
  device: DeviceInfo;
  fragmentSize?: number;
  /** Station table size (hostapd `max_num_sta`, default 2007). */
  maxStations?: number;
}

export interface RadioApHooks {
  authenticatorEvent?(bss: number, event: AuthenticatorEvent): void;
  afterWsc?(bss: number): void;
  stationConnected?(bss: number, mac: Buffer, flags: string[], aid: number): void;
  stationDisconnected?(bss: number, mac: Buffer): void;
  /**
   * The per-station four-address interface the nl80211 driver creates (`<bss ifname>.sta<aid>`,
   * i802_set_wds_sta) was added or removed: WDS-STA-INTERFACE-ADDED / -REMOVED.
   */
  wdsInterface?(bss: number, change: 'added' | 'removed', ifname: string, mac: Buffer, wds: boolean): void;
  /** Association decisions, handshake results, four-address data: for logs and demos. */
  note?(bss: number, text: string): void;
  /** A data frame delivered from a connected station, as the Ethernet frame it carries. */
  data?(bss: number, frame: StationData): void;
  /** A bug met while serving a station's EAP (see ApEapLinkOptions.onInternalError). */
  internalError?(bss: number, error: unknown, peer: Buffer | null): void;
}

/** A data frame from a station of a BSS, in Ethernet terms. */
export interface StationData {
  /** The station that sent it (Address 2). */
  station: Buffer;
  sa: Buffer;
  da: Buffer;
  etherType: number;
  payload: Buffer;
  /** It came in four-address form (from a station in four-address mode). */
  wds: boolean;
}

interface Station {
  mac: Buffer;
  state: 'authenticated' | 'associated' | 'connected';
  aid: number;
  wps: boolean;
  multiApStation: MultiApStation;
  fourAddress: boolean;
  /** The VLAN ID the primary network's frames carry on this backhaul link (backhaulLinkVlan), 0 for none. */
  linkVlanId: number;
  /** hostapd's WLAN_STA_WDS: four-address mode asked by the station's own frames (`wds_sta=1`). */
  wds: boolean;
  /** Name of the station's WDS interface while it exists. */
  wdsIfname: string | null;
  staRsn: Buffer | null;
  /** The pairwise key installed by the four-way handshake. */
  tk: Buffer | null;
  handshake: MachineRunner<Buffer, HandshakeEvent> | null;
  machine: Authenticator4Way | null;
  /** Sequence control of the station's last frame, for duplicate detection. */
  lastSequenceControl: number;
}

interface BssState {
  config: RadioBss;
  stations: Map<string, Station>;
  eap: ApEapLink;
  gtk: Buffer;
  /** False after STOP_AP until the next RELOAD/ENABLE: no Beacons, no answers, frames to it ignored. */
  onAir: boolean;
}

export class RadioAp {
  private readonly bsses: BssState[];
  private enabled = true;
  /** A channel switch under way: the CSA element goes into Beacons and Probe Responses until `count` runs out. */
  private switching: { channel: number; count: number; blockTx: boolean; done: () => void } | null = null;
  private sequence = 0;
  // Counts down before each beacon: the first one carries DTIM count 0, as hostapd's first beacon does.
  private dtimCount = 1;
  private cancelBeacon: (() => void) | null = null;
  private readonly startedAt: number;
  private peakStations = 0;

  constructor(
    private readonly port: RadioPort,
    private readonly scheduler: Scheduler,
    bsses: RadioBss[],
    private readonly rng: Rng,
    private readonly hooks: RadioApHooks = {},
  ) {
    this.startedAt = scheduler.now();
    this.bsses = bsses.map((config, index) => ({
      config,
      stations: new Map(),
      gtk: rng.bytes(16),
      onAir: true,
      eap: new ApEapLink({
        ownMac: config.bssid,
        registrar: () => this.bsses[index]!.config.registrar(),
        scheduler,
        port: { send: (ethernet) => this.sendEapol(index, ethernet) },
        ...(config.fragmentSize !== undefined ? { fragmentSize: config.fragmentSize } : {}),
        onEvent: (event) => this.onAuthenticatorEvent(index, event),
        afterWsc: () => hooks.afterWsc?.(index),
        ...(hooks.internalError ? { onInternalError: (error: unknown, peer: Buffer | null) => hooks.internalError!(index, error, peer) } : {}),
      }),
    }));
    this.beacon();
    // hostapd_setup_bss: "Deauthenticate all stations at BSS start", for stations that did not
    // notice the AP stopped and came back.
    this.bsses.forEach((bss) => {
      if (bss.config.broadcastDeauth !== false) this.sendLeave(bss, 'deauthentication', BROADCAST_MAC, ReasonCode.PrevAuthNotValid);
    });
  }

  /** Entries in one BSS's station table now, and the most any BSS held at once. */
  stationCount(bss: number): number {
    return this.bsses[bss]?.stations.size ?? 0;
  }

  get peakStationCount(): number {
    return this.peakStations;
  }

  /** 802.1X ports (EAP-WSC sessions and ports waiting for an identity) of one BSS. */
  eapPortCount(bss: number): number {
    return this.bsses[bss]?.eap.authenticator.portCount ?? 0;
  }

  /** The first BSS's station table entries, for tests and STA commands. */
  station(bss: number, mac: Buffer): Readonly<Omit<Station, 'handshake' | 'machine'>> | undefined {
    return this.bsses[bss]?.stations.get(formatMac(mac));
  }

  private send(frame: Frame): void {
    this.port.send(encodeFrame(frame));
  }

  private seq(): number {
    return this.sequence++ & 0xfff;
  }

  private elementsFor(bss: BssState, kind: 'beacon' | 'probe-response'): Element[] {
    const { config } = bss;
    // The order of hostapd's ieee802_11_build_ap_params / hostapd_gen_probe_resp (checked against
    // the golden air capture): SSID, rates, DS, TIM (beacons; mac80211 inserts it), CSA, ERP,
    // extended rates, RSN, ..., WPS. A hidden SSID is left out of Beacons (empty, or zeros of its length).
    const hidden = kind === 'beacon' ? config.ignoreBroadcastSsid ?? 0 : 0;
    const ssid = hidden === 1 ? Buffer.alloc(0) : hidden === 2 ? Buffer.alloc(config.ssid.length) : config.ssid;
    const elements: Element[] = [ssidElement(ssid), supportedRates(), dsElement(this.port.channel)];
    if (kind === 'beacon') elements.push(timElement(this.dtimCount, DTIM_PERIOD));
    if (this.switching) elements.push(channelSwitchElement({ mode: this.switching.blockTx ? 1 : 0, newChannel: this.switching.channel, count: this.switching.count }));
    if (this.port.frequency < 3000) elements.push(erpElement());
    elements.push(extendedRates());
    if (config.pmk) elements.push(rsnElement());
    const registrar = config.registrar();
    if (registrar) {
      const state = { wpsState: registrar.wpsState, selection: registrar.selectedRegistrarInfo() };
      elements.push(...wpsElements(kind === 'beacon' ? beaconWpsAttributes(config.device, state) : probeResponseWpsAttributes(config.device, state)));
    }
    // Beyond hostapd 2.10 (which sends the Multi-AP element only in Association Responses): a
    // Multi-AP BSS announces itself in Beacons and Probe Responses, as EasyMesh agents do; last, so
    // everything before it is in the reference's order.
    if (config.multiApBss.role) elements.push(multiApElement(bssMultiApElement(config.multiApBss)));
    return elements;
  }

  private capability(bss: BssState): number {
    return Capability.Ess | Capability.ShortSlotTime | (bss.config.pmk ? Capability.Privacy : 0);
  }

  private timestamp(): bigint {
    return BigInt(Math.round((this.scheduler.now() - this.startedAt) * 1000));
  }

  private beacon(): void {
    if (this.switching && this.switching.count === 0) this.finishChannelSwitch();
    this.dtimCount = this.dtimCount === 0 ? DTIM_PERIOD - 1 : this.dtimCount - 1;
    for (const bss of this.bsses) {
      if (!bss.onAir) continue;
      this.send({
        kind: 'beacon',
        header: mgmtHeader('beacon', Buffer.alloc(6, 0xff), bss.config.bssid, bss.config.bssid, this.seq()),
        timestamp: this.timestamp(),
        beaconInterval: BEACON_INTERVAL_TU,
        capability: this.capability(bss),
        elements: this.elementsFor(bss, 'beacon'),
      });
    }
    if (this.switching) this.switching.count--;
    this.cancelBeacon = this.scheduler.schedule(BEACON_INTERVAL_MS, () => this.beacon());
  }

  /**
   * CHAN_SWITCH as mac80211 carries it out: Beacons (and Probe Responses) announce the new channel
   * with a count that drops by one per Beacon; at count 0 the radio moves. Count 0 or 1 moves at
   * the next Beacon time.
   */
  switchChannel(count: number, channel: number, done: () => void, blockTx = false): void {
    this.switching = { channel, count: Math.max(count, 1), blockTx, done };
  }

  private finishChannelSwitch(): void {
    const switching = this.switching!;
    this.switching = null;
    this.port.setChannel(switching.channel);
    switching.done();
  }

  /** A frame from the medium. Anything malformed is dropped: one bad peer cannot stop the AP. */
  receive(bytes: Buffer): void {
    if (!this.enabled) return;
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch (error) {
      expectDecodeError(error);
      return;
    }
    if (frame.kind === 'probe-request') return this.onProbeRequest(frame);
    const index = this.bsses.findIndex((b) => b.config.bssid.equals(frame.header.addr1));
    const bss = this.bsses[index];
    if (!bss?.onAir) return;
    const peer = frame.header.addr2;
    if (this.isRetransmission(bss, frame.header)) return;
    this.touch(bss, peer);
    switch (frame.kind) {
      case 'authentication':
        return this.onAuthentication(index, bss, frame);
      case 'association-request':
      case 'reassociation-request':
        return this.onAssociation(index, bss, frame);
      case 'deauthentication':
      case 'disassociation':
        return this.dropStation(index, peer, false);
      case 'data':
        return this.onData(index, bss, frame);
      case 'null-data': {
        // A station probing its association; nothing to do unless we hold none for it.
        const station = bss.stations.get(formatMac(peer));
        if (!station || station.state === 'authenticated') this.rejectClass3(index, bss, peer, station !== undefined);
        return;
      }
      default:
        return;
    }
  }

  private onProbeRequest(frame: Extract<Frame, { kind: 'probe-request' }>): void {
    const ssid = findElement(frame.elements, ElementId.Ssid)?.data;
    let wps = undefined;
    try {
      wps = parseWpsElements(frame.elements);
    } catch (error) {
      expectDecodeError(error);
      wps = undefined;
    }
    this.bsses.forEach((bss, index) => {
      if (!bss.onAir) return;
      if (!frame.header.addr3.equals(Buffer.alloc(6, 0xff)) && !frame.header.addr3.equals(bss.config.bssid)) return;
      if (ssid && ssid.length > 0 && !ssid.equals(bss.config.ssid)) return;
      // handle_probe_req: a hidden BSS does not answer wildcard Probe Requests.
      if (bss.config.ignoreBroadcastSsid && !(ssid && ssid.length > 0)) return;
      const registrar = bss.config.registrar();
      if (registrar && wps) {
        // Probe Requests feed the Registrar's PBC session list (overlap detection, WPS-ENROLLEE-SEEN).
        registrar.probeRequest(frame.header.addr2, wps, this.scheduler.now());
        this.hooks.afterWsc?.(index);
      }
      this.send({
        kind: 'probe-response',
        header: mgmtHeader('probe-response', frame.header.addr2, bss.config.bssid, bss.config.bssid, this.seq()),
        timestamp: this.timestamp(),
        beaconInterval: BEACON_INTERVAL_TU,
        capability: this.capability(bss),
        elements: this.elementsFor(bss, 'probe-response'),
      });
    });
  }

  /**
   * Duplicate detection (IEEE 802.11-2020 §10.3.2.14, as mac80211's ieee80211_rx_h_check_dup and
   * hostapd's "Drop repeated authentication frame"): a frame with the Retry bit and the sequence
   * control of the station's previous frame is a retransmission whose ACK was lost, not a new one.
   */
  private isRetransmission(bss: BssState, header: MacHeader): boolean {
    const station = bss.stations.get(formatMac(header.addr2));
    if (!station) return false;
    const repeated = (header.flags & FcFlag.Retry) !== 0 && station.lastSequenceControl === header.sequenceControl;
    station.lastSequenceControl = header.sequenceControl;
    return repeated;
  }

  /**
   * Keeps each station table in least-recently-heard order (Map iteration order), so the station
   * `makeRoom` evicts is the one that has been silent longest.
   */
  private touch(bss: BssState, mac: Buffer): void {
    const key = formatMac(mac);
    const station = bss.stations.get(key);
    if (!station) return;
    bss.stations.delete(key);
    bss.stations.set(key, station);
  }

  /**
   * hostapd refuses a new station once `max_num_sta` entries exist (status 17), so a flood of
   * forged Authentication frames locks real stations out until the 300 s inactivity timer runs.
   * Beyond the reference: the station silent longest that is not connected (forged addresses never
   * get past Open System authentication or Request/Identity) makes room; connected stations are
   * never evicted, and only a table full of them refuses.
   */
  private makeRoom(index: number, bss: BssState): boolean {
    if (bss.stations.size < (bss.config.maxStations ?? MAX_STA_COUNT)) return true;
    for (const station of bss.stations.values()) {
      if (station.state === 'connected') continue;
      this.dropStation(index, station.mac, true);
      return true;
    }
    return false;
  }

  private onAuthentication(index: number, bss: BssState, frame: Extract<Frame, { kind: 'authentication' }>): void {
    if (frame.sequence !== 1) return;
    const mac = frame.header.addr2;
    // handle_auth: an algorithm auth_algs does not allow is refused with status 13.
    const openAllowed = ((bss.config.authAlgs ?? 1) & 1) !== 0;
    let status: number = frame.algorithm === 0 && openAllowed ? StatusCode.Success : StatusCode.AuthAlgorithmNotSupported;
    if (status === StatusCode.Success) {
      const key = formatMac(mac);
      // Authenticating again restarts the station's state, as hostapd's handle_auth does.
      this.dropStation(index, mac, false);
      if (this.makeRoom(index, bss)) {
        bss.stations.set(key, {
          mac: Buffer.from(mac),
          state: 'authenticated',
          aid: 0,
          wps: false,
          multiApStation: null,
          fourAddress: false,
          linkVlanId: 0,
          wds: false,
          wdsIfname: null,
          staRsn: null,
          tk: null,
          handshake: null,
          machine: null,
          lastSequenceControl: frame.header.sequenceControl,
        });
        this.peakStations = Math.max(this.peakStations, bss.stations.size);
      } else {
        status = StatusCode.ApUnableToHandleNewSta;
        this.hooks.note?.(index, `authentication of ${key} refused: station table full (${bss.stations.size} connected stations)`);
      }
    }
    this.send({
      kind: 'authentication',
      header: mgmtHeader('authentication', mac, bss.config.bssid, bss.config.bssid, this.seq()),
      algorithm: frame.algorithm,
      sequence: 2,
      status,
      elements: [],
    });
  }

  private onAssociation(index: number, bss: BssState, frame: Extract<Frame, { kind: 'association-request' | 'reassociation-request' }>): void {
    const mac = frame.header.addr2;
    const station = bss.stations.get(formatMac(mac));
    const kind = frame.kind === 'association-request' ? 'association-response' : 'reassociation-response';
    // Supported Rates go into every response, refusals included, as hostapd sends them.
    const respond = (status: number, aid: number, extra: Element[]) =>
      this.send({ kind, header: mgmtHeader(kind, mac, bss.config.bssid, bss.config.bssid, this.seq()), capability: this.capability(bss), status, aid, elements: [...rateElements(), ...extra] });
    if (!station) {
      // Class 2 frame from a station that did not authenticate (hostapd answers with a deauthentication).
      this.sendLeave(bss, 'deauthentication', mac, ReasonCode.PrevAuthNotValid);
      return;
    }
    const ssid = findElement(frame.elements, ElementId.Ssid)?.data;
    if (!ssid || !ssid.equals(bss.config.ssid)) return respond(StatusCode.Unspecified, 0, []);
    // null: a WPS IE that does not parse.
    let wps: boolean | null;
    try {
      wps = parseWpsElements(frame.elements) !== undefined;
    } catch (error) {
      expectDecodeError(error);
      wps = null;
    }
    // check_assoc_ies runs check_multi_ap before it looks at the WPS and RSN elements.
    const decision = apAssociationDecision(bss.config.multiApBss, parseMultiApElement(frame.elements), wps === true);
    if (!decision.accept) {
      this.hooks.note?.(index, `association of ${formatMac(mac)} refused: status ${decision.status} (${decision.why})`);
      bss.stations.delete(formatMac(mac));
      return respond(decision.status, 0, []);
    }
    if (wps === null) return respond(StatusCode.InvalidElement, 0, []);
    if (wps && !bss.config.registrar()) return respond(StatusCode.Unspecified, 0, []);
    const rsn = findElement(frame.elements, ElementId.Rsn);
    if (!wps && bss.config.pmk && !isWpa2PskCcmp(rsn)) return respond(StatusCode.InvalidElement, 0, []);
    // A (re)association restarts the keys: hostapd's WPA_ASSOC event puts the authenticator back at
    // the start, so a handshake still running for the previous one must not live on and time out
    // (seen on the air: a retried Association Request, then reason 15 after the keys were in place).
    station.handshake?.stop();
    station.handshake = null;
    station.machine = null;
    wipe(station.tk);
    station.tk = null;
    if (!station.aid) {
      const aid = this.freeAid(bss);
      if (aid === 0) return respond(StatusCode.ApUnableToHandleNewSta, 0, []);
      station.aid = aid;
    }
    station.state = 'associated';
    station.wps = wps;
    station.multiApStation = decision.multiApStation;
    station.fourAddress = decision.fourAddress;
    station.linkVlanId = decision.fourAddress && decision.multiApStation ? backhaulLinkVlan(bssMultiApElement(bss.config.multiApBss), decision.multiApStation.profile) : 0;
    station.staRsn = rsn ? Buffer.from(rsn.data) : null;
    // hostapd's send_assoc_resp order: BSS Max Idle Period, ..., WPS, then Multi-AP.
    const elements: Element[] = [bssMaxIdleElement(AP_MAX_INACTIVITY_S)];
    if (wps) elements.push(...wpsElements(assocResponseWpsAttributes()));
    if (decision.responseElement) elements.push(multiApElement(decision.responseElement));
    respond(StatusCode.Success, station.aid | 0xc000, elements);
    this.hooks.note?.(
      index,
      `${formatMac(mac)} associated (aid ${station.aid}${wps ? ', WPS' : ''}${station.multiApStation ? ', Multi-AP backhaul STA' : ''}${station.fourAddress ? ', four-address' : ''}${station.linkVlanId ? `, primary VLAN ${station.linkVlanId} tagged` : ''})`,
    );
    this.updateWdsInterface(index, bss, station);
    if (wps) bss.eap.addStation(mac);
    else if (bss.config.pmk) this.startHandshake(index, bss, station);
    else this.connected(index, station);
  }

  /** hostapd_get_aid: the lowest AID no station of the BSS holds (1..2007), 0 when none is free. */
  private freeAid(bss: BssState): number {
    const used = new Set<number>();
    for (const station of bss.stations.values()) if (station.aid) used.add(station.aid);
    for (let aid = 1; aid <= MAX_STA_COUNT; aid++) if (!used.has(aid)) return aid;
    return 0;
  }

  /**
   * A station in four-address mode gets its own interface (handle_assoc_cb, hostapd_set_wds_sta):
   * a WLAN_STA_WDS station, or a Multi-AP station the association put in four-address mode.
   */
  private updateWdsInterface(index: number, bss: BssState, station: Station): void {
    if (station.wds || station.fourAddress) {
      if (station.wdsIfname) return;
      station.wdsIfname = `${bss.config.ifname}.sta${station.aid}`;
      this.hooks.wdsInterface?.(index, 'added', station.wdsIfname, station.mac, station.wds);
    }
  }

  private startHandshake(index: number, bss: BssState, station: Station): void {
    const machine = new Authenticator4Way({
      pmk: bss.config.pmk!,
      aa: bss.config.bssid,
      spa: station.mac,
      rng: this.rng,
      apRsn: rsnElement().data,
      staRsn: station.staRsn ?? Buffer.alloc(0),
      gtk: bss.gtk,
    });
    station.machine = machine;
    station.handshake = new MachineRunner(machine, this.scheduler, {
      send: (pdu) => this.sendEapol(index, encodeEthernet({ dst: station.mac, src: bss.config.bssid, etherType: ETHERTYPE_EAPOL, payload: pdu })),
      event: (event) => {
        if (event.type === 'keys-installed') {
          station.tk = event.tk;
          this.hooks.note?.(index, `${formatMac(station.mac)}: four-way handshake done, keys installed`);
          this.connected(index, station);
        } else if (event.type === 'failed') {
          this.hooks.note?.(index, `${formatMac(station.mac)}: four-way handshake failed (${event.reason}), deauthenticating with reason ${event.reasonCode}`);
          this.deauthenticate(index, station.mac, event.reasonCode);
        }
      },
    });
    station.handshake.feed((now) => machine.start(now));
  }

  private connected(index: number, station: Station): void {
    station.state = 'connected';
    // ap_sta_flags_txt: [WDS] is WLAN_STA_WDS (wds_sta), not the Multi-AP flag, which 2.10 does not print.
    const flags = ['[AUTH]', '[ASSOC]', '[AUTHORIZED]', ...(station.wps ? ['[WPS]'] : []), ...(station.wds ? ['[WDS]'] : [])];
    this.hooks.stationConnected?.(index, station.mac, flags, station.aid);
  }

  private onData(index: number, bss: BssState, frame: Extract<Frame, { kind: 'data' }>): void {
    const station = bss.stations.get(formatMac(frame.header.addr2));
    if (!station || station.state === 'authenticated') return this.rejectClass3(index, bss, frame.header.addr2, station !== undefined);
    const wds = (frame.header.flags & (FcFlag.ToDs | FcFlag.FromDs)) === (FcFlag.ToDs | FcFlag.FromDs);
    if (wds && !station.fourAddress) {
      // mac80211 drops a four-address frame from a station not in four-address mode and reports it;
      // with wds_sta=1 hostapd then puts an associated station in WDS mode (ieee802_11_rx_from_unknown).
      if (bss.config.wdsSta) {
        station.wds = true;
        station.fourAddress = true;
        this.hooks.note?.(index, `${formatMac(station.mac)}: four-address frame, WDS mode enabled (wds_sta=1)`);
        this.updateWdsInterface(index, bss, station);
        return;
      }
      return this.hooks.note?.(index, `dropped a four-address frame from ${formatMac(station.mac)} (not a WDS station)`);
    }
    if (!wds && !(frame.header.flags & FcFlag.ToDs)) return;
    if (frame.etherType === ETHERTYPE_EAPOL) {
      if (station.wps) {
        const { sa, da } = dataAddresses(frame.header);
        bss.eap.receive(encodeEthernet({ dst: da, src: sa, etherType: ETHERTYPE_EAPOL, payload: frame.payload }));
      } else if (station.handshake && station.machine) {
        const machine = station.machine;
        station.handshake.feed((now) => machine.receive(frame.payload, now));
      }
      return;
    }
    if (station.state !== 'connected') return;
    let body = { etherType: frame.etherType, payload: frame.payload };
    if (wds && station.linkVlanId) {
      // The primary network's frames arrive tagged with the link's VLAN and leave it untagged;
      // another VLAN's frames keep their tag.
      let untagged;
      try {
        untagged = vlanUntag(body);
      } catch (error) {
        return this.hooks.note?.(index, `dropped a data frame from ${formatMac(station.mac)}: ${expectDecodeError(error).message}`);
      }
      if (untagged?.vlanId === station.linkVlanId) body = untagged.body;
    }
    const { sa, da } = dataAddresses(frame.header);
    this.hooks.data?.(index, { station: Buffer.from(station.mac), sa, da, etherType: body.etherType, payload: body.payload, wds });
  }

  /**
   * An Ethernet frame from the bridge to station `mac` of BSS `bss`: four-address (RA the
   * station, TA the BSSID, DA, SA) to a station in four-address mode, which may have anything
   * behind it, a group-addressed frame included (mac80211 sends what goes out of a four-address
   * station's own interface as a unicast copy to it); three-address (FromDS) to any other
   * station, and then only a frame addressed to that station itself. False when it cannot go.
   */
  sendToStation(bss: number, mac: Buffer, da: Buffer, sa: Buffer, etherType: number, payload: Buffer): boolean {
    const state = this.bsses[bss];
    const station = state?.stations.get(formatMac(mac));
    if (!state || !station || station.state !== 'connected' || !this.enabled) return false;
    const bssid = state.config.bssid;
    if (station.fourAddress) {
      // The primary network's frames go tagged with the link's VLAN, as the STA sends them.
      const body = station.linkVlanId ? vlanTag(station.linkVlanId, { etherType, payload }) : { etherType, payload };
      this.send(dataFrame({ kind: 'wds', ra: station.mac, ta: bssid, da, sa }, body.etherType, body.payload, this.seq()));
      return true;
    }
    if (!da.equals(station.mac)) return false;
    this.send(dataFrame({ kind: 'from-ap', bssid, sa, da: station.mac }, etherType, payload, this.seq()));
    return true;
  }

  /**
   * A group-addressed Ethernet frame from the bridge to the three-address stations of BSS `bss`:
   * one FromDS frame with the group address in Address 1. Four-address stations get their own
   * copies through sendToStation (each has its own interface, as with mac80211's AP_VLANs).
   */
  sendToBss(bss: number, da: Buffer, sa: Buffer, etherType: number, payload: Buffer): boolean {
    const state = this.bsses[bss];
    if (!state || !this.enabled || (da[0]! & 0x01) === 0) return false;
    this.send(dataFrame({ kind: 'from-ap', bssid: state.config.bssid, sa, da }, etherType, payload, this.seq()));
    return true;
  }

  /** The connected stations of BSS `bss` and whether each is in four-address mode. */
  connectedStations(bss: number): { mac: Buffer; fourAddress: boolean }[] {
    return [...(this.bsses[bss]?.stations.values() ?? [])].filter((s) => s.state === 'connected').map((s) => ({ mac: Buffer.from(s.mac), fourAddress: s.fourAddress }));
  }

  /**
   * A data frame from a station we hold no association for: it believes it is associated (our
   * Deauthentication may have been lost). As hostapd's ieee802_11_rx_from_unknown, tell it with
   * reason 7: Disassociation if it is still authenticated, else Deauthentication.
   */
  private rejectClass3(index: number, bss: BssState, peer: Buffer, authenticated: boolean): void {
    if (peer[0]! & 0x01) return;
    const kind = authenticated ? 'disassociation' : 'deauthentication';
    this.hooks.note?.(index, `data frame from ${formatMac(peer)}, which is not associated: ${kind} with reason ${ReasonCode.Class3FrameFromNonassocSta}`);
    this.sendLeave(bss, kind, peer, ReasonCode.Class3FrameFromNonassocSta);
  }

  private sendLeave(bss: BssState, kind: 'deauthentication' | 'disassociation', to: Buffer, reason: number): void {
    this.send({ kind, header: mgmtHeader(kind, to, bss.config.bssid, bss.config.bssid, this.seq()), reason });
  }

  /** EAPOL from the authenticator or the handshake, as a data frame to the station. */
  private sendEapol(index: number, ethernet: Buffer): void {
    const bss = this.bsses[index]!;
    let decoded;
    try {
      decoded = decodeEthernet(ethernet);
    } catch (error) {
      expectDecodeError(error);
      return;
    }
    const station = bss.stations.get(formatMac(decoded.dst));
    if (!station) return;
    this.send(dataFrame({ kind: 'from-ap', bssid: bss.config.bssid, sa: bss.config.bssid, da: decoded.dst }, decoded.etherType, decoded.payload, this.seq()));
  }

  private onAuthenticatorEvent(index: number, event: AuthenticatorEvent): void {
    this.hooks.authenticatorEvent?.(index, event);
    // After EAP-Failure the port closes; hostapd then deauthenticates the WPS station (reason 23).
    if (event.type === 'port-closed') this.deauthenticate(index, event.peer, ReasonCode.Ieee8021xAuthFailed);
  }

  /** A failed handshake or a closed WPS port: Deauthentication and the station entry goes. */
  deauthenticate(index: number, mac: Buffer, reason: number = ReasonCode.DeauthLeaving): void {
    const bss = this.bsses[index];
    if (!bss || !bss.stations.has(formatMac(mac))) return;
    this.sendLeave(bss, 'deauthentication', mac, reason);
    this.dropStation(index, mac, true);
  }

  /**
   * DEAUTHENTICATE / DISASSOCIATE from the control interface. As hostapd, the frame is sent even
   * when the station is unknown (it may believe it is still associated); the broadcast address
   * removes every station. A disassociated station stays authenticated (ap_sta_disassociate).
   */
  removeStation(index: number, mac: Buffer, frame: 'deauthentication' | 'disassociation' | null, reason: number): void {
    const bss = this.bsses[index];
    if (!bss) return;
    if (frame) this.sendLeave(bss, frame, mac, reason);
    const targets = mac.equals(BROADCAST_MAC) ? [...bss.stations.values()] : [bss.stations.get(formatMac(mac))];
    for (const station of targets) {
      if (!station) continue;
      if (frame !== 'disassociation') {
        this.dropStation(index, station.mac, true);
        continue;
      }
      this.endAssociation(index, bss, station);
      station.state = 'authenticated';
    }
  }

  private dropStation(index: number, mac: Buffer, _local: boolean): void {
    const bss = this.bsses[index]!;
    const station = bss.stations.get(formatMac(mac));
    if (!station) return;
    bss.stations.delete(formatMac(mac));
    this.endAssociation(index, bss, station);
    // ap_free_sta: the WDS interface goes with the station entry (after AP-STA-DISCONNECTED).
    if (station.wdsIfname) {
      const ifname = station.wdsIfname;
      station.wdsIfname = null;
      this.hooks.wdsInterface?.(index, 'removed', ifname, station.mac, station.wds);
    }
  }

  /**
   * hostapd_flush_old_stations (RELOAD, SIGHUP, DISABLE): one broadcast Deauthentication with
   * `reason` when `broadcast_deauth` is on (its default), then every station entry is freed.
   */
  flushStations(index: number, reason: number): void {
    const bss = this.bsses[index];
    if (!bss) return;
    if (bss.config.broadcastDeauth !== false && this.enabled) this.sendLeave(bss, 'deauthentication', BROADCAST_MAC, reason);
    for (const station of [...bss.stations.values()]) this.dropStation(index, station.mac, true);
  }

  /**
   * New settings for the BSSs (RELOAD, SIGHUP, SET): the same BSSs in the same order; Beacons
   * and new associations use them from now on (hostapd_reload_bss). Call after flushStations.
   */
  reconfigure(bsses: readonly RadioBss[]): void {
    if (bsses.length !== this.bsses.length) throw new RangeError(`reconfigure: ${bsses.length} BSSs for a radio with ${this.bsses.length}`);
    bsses.forEach((config, i) => {
      this.bsses[i]!.config = config;
      // hostapd_reload_bss sets the Beacon again (ieee802_11_set_beacon), after a STOP_AP too.
      this.bsses[i]!.onAir = true;
    });
  }

  /**
   * STOP_AP (hostapd_ctrl_iface_stop_ap → the driver's stop_ap, NL80211_CMD_STOP_AP): this BSS
   * stops beaconing and its stations are gone (mac80211 flushes them without a frame); the other
   * BSSs of the radio go on. RELOAD or ENABLE bring it back.
   */
  stopBss(index: number): void {
    const bss = this.bsses[index];
    if (!bss) return;
    for (const station of [...bss.stations.values()]) this.dropStation(index, station.mac, true);
    bss.onAir = false;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** DISABLE / ENABLE: the BSSs leave the air (no Beacons, frames ignored) and come back. */
  setEnabled(enabled: boolean): void {
    if (enabled === this.enabled) return;
    this.enabled = enabled;
    if (enabled) {
      for (const bss of this.bsses) bss.onAir = true;
      this.beacon();
      for (const bss of this.bsses) if (bss.config.broadcastDeauth !== false) this.sendLeave(bss, 'deauthentication', BROADCAST_MAC, ReasonCode.PrevAuthNotValid);
    } else {
      this.cancelBeacon?.();
      this.cancelBeacon = null;
    }
  }

  private endAssociation(index: number, bss: BssState, station: Station): void {
    // The pairwise key dies with the association (wpa_auth_sta_deinit clears the PTK).
    wipe(station.tk);
    station.tk = null;
    station.handshake?.stop();
    station.handshake = null;
    station.machine = null;
    if (station.wps) bss.eap.removeStation(station.mac);
    station.wps = false;
    station.fourAddress = false;
    station.linkVlanId = 0;
    if (station.state === 'connected') this.hooks.stationDisconnected?.(index, station.mac);
  }

  stop(): void {
    this.cancelBeacon?.();
    this.cancelBeacon = null;
    for (const bss of this.bsses) {
      bss.eap.stop();
      for (const station of bss.stations.values()) station.handshake?.stop();
    }
  }
}
