/**
 * The Multi-AP Agent's AP-Autoconfiguration (Wi-Fi EasyMesh onboarding; IEEE 1905.1 AP-autoconfiguration), sans-I/O.
 *
 *   const agent = new Agent({ alMac, interfaces: [{ name, mac }], device, radios: [{ radioId, band, maxBss, opClasses, rfBands }] });
 *   agent.start(now)                  Topology Discovery, then one Search per band its radios use
 *   agent.receive(frame, now)         frames from the transport (AlEntity.receive's InFrame)
 *   agent.tick(now) / nextDeadline()  Search and M1 retransmission, Topology Discovery, reassembly timeouts
 *   agent.configuration(radioId)      the radio's last good BSS list ('teardown', or undefined before any)
 * Each returns { sends, events }: AgentEvent or the AlEntity's own refused/duplicate events.
 *
 * Search per band (AL MAC, SearchedRole registrar, AutoconfigFreqBand, SupportedService agent,
 * SearchedService controller, Multi-AP Profile), resent every 5 s until answered. When a radio's band
 * got a Response: M1 in a WSC CMDU with AP Radio Basic Capabilities, resent every 5 s with a fresh
 * MID (as prplMesh) until a valid M2 set answers it. Renew from the Controller: a new M1 per radio,
 * no new Search. The M2 set for a radio (AP Radio Identifier + one WSC TLV per BSS) is applied
 * whole or not at all: every M2 must pass its Authenticator and Key Wrap Authenticator; a radio we
 * do not have, more BSSs than the radio runs, or leaving `backhaulRadioId` without a backhaul BSS is
 * refused and the last good configuration stays.
 */
import type { InFrame } from '../ieee1905/al-entity.js';
import { AlEntity } from '../ieee1905/al-entity.js';
import { IEEE1905_MULTICAST, MessageType } from '../ieee1905/cmdu.js';
import type { ReassemblyLimits } from '../ieee1905/fragmentation.js';
import type { OperatingClassCapability, TrafficSeparationSsid } from '../ieee1905/tlvs.js';
import { ROLE_REGISTRAR, Service } from '../ieee1905/tlvs.js';
import { wipe } from '../util/bytes.js';
import type { MacAddress } from '../util/mac.js';
import { formatMac } from '../util/mac.js';
import type { Rng } from '../util/rng.js';
import { systemRng } from '../util/rng.js';
import type { DeviceInfo } from '../wsc/device.js';
import type { M1Secrets, M2Failure } from './autoconfig-wsc.js';
import { buildAutoconfigM1, openAutoconfigM2 } from './autoconfig-wsc.js';
import type { EasyMeshError, EasyMeshErrorCode, ReceivedBss } from './bss.js';
import type { MeshInterface, NodeOutput, ReceivedCmdu } from './node.js';
import { OutputCollector, alTick, receiveThrough, refusal, requireTlv, sendTopologyDiscovery } from './node.js';

export interface AgentRadio {
  /** Radio unique identifier (AP Radio Identifier / Basic Capabilities). */
  radioId: MacAddress;
  /** AutoconfigFreqBand value of the radio (0 2.4 GHz, 1 5 GHz, 2 60 GHz). */
  band: number;
  maxBss: number;
  opClasses: OperatingClassCapability[];
  /** WSC RF Bands of the radio for its M1 (0x01 2.4 GHz, 0x02 5 GHz). */
  rfBands: number;
}

export interface AgentOptions {
  alMac: MacAddress;
  interfaces: readonly MeshInterface[];
  /** The Agent as a WSC Enrollee describes itself in M1 (its MAC Address is replaced by the AL MAC). */
  device: DeviceInfo;
  radios: readonly AgentRadio[];
  /** Multi-AP Profile in the Search (default 2). */
  profile?: number;
  /** The radio whose backhaul BSS this Agent's links depend on: an M2 set leaving it without one is refused. */
  backhaulRadioId?: MacAddress;
  rng?: Rng;
  /** Retransmission of an unanswered Search / M1 (default 5 s, prplMesh's M1 period). */
  retryMs?: number;
  reassembly?: Partial<ReassemblyLimits>;
}

export type RadioConfiguration = { kind: 'bsses'; bsses: ReceivedBss[] } | { kind: 'teardown' };

export type AgentEvent =
  | { kind: 'controller-found'; alMac: MacAddress; band: number }
  | { kind: 'search-sent'; band: number; messageId: number }
  | { kind: 'm1-sent'; radioId: MacAddress; messageId: number; retry: boolean }
  | {
      kind: 'radio-configured';
      radioId: MacAddress;
      configuration: RadioConfiguration;
      /** Profile-2 extras the Controller sent with the M2s. */
      primaryVlanId?: number;
      trafficSeparation?: TrafficSeparationSsid[];
    }
  | { kind: 'renew'; from: MacAddress }
  | { kind: 'refused'; error: EasyMeshError };

export type AgentOutput = NodeOutput<AgentEvent>;

const M2_FAILURE_CODES: Record<M2Failure, EasyMeshErrorCode> = {
  'malformed': 'easymesh-bad-wsc',
  'not-m2': 'easymesh-bad-wsc',
  'missing-attributes': 'easymesh-bad-wsc',
  'nonce': 'easymesh-m2-nonce',
  'public-key': 'easymesh-m2-authenticator',
  'authenticator': 'easymesh-m2-authenticator',
  'settings': 'easymesh-m2-settings',
  'settings-attributes': 'easymesh-m2-settings',
};

interface RadioState {
  radio: AgentRadio;
  pending: { secrets: M1Secrets; nextRetry: number } | undefined;
  configuration: RadioConfiguration | undefined;
}

export class Agent {
  readonly al: AlEntity;
  private readonly interfaces: MeshInterface[];
  private readonly rng: Rng;
  private readonly retryMs: number;
  private readonly radios = new Map<string, RadioState>();
  /** Per band searched: undefined once answered, else when to search again. */
  private readonly searches = new Map<number, number | undefined>();
  private controllerMac: MacAddress | undefined;
  private nextDiscovery: number | undefined;

  constructor(private readonly options: AgentOptions) {
    this.rng = options.rng ?? systemRng;
    this.retryMs = options.retryMs ?? 5000;
    this.interfaces = [...options.interfaces];
    this.al = new AlEntity({
      alMac: options.alMac,
      interfaces: this.interfaces.map((i) => i.name),
      localMacs: this.interfaces.map((i) => i.mac),
      rng: this.rng,
      ...(options.reassembly ? { reassembly: options.reassembly } : {}),
    });
    for (const radio of options.radios) this.radios.set(formatMac(radio.radioId), { radio, pending: undefined, configuration: undefined });
  }

  get controller(): MacAddress | undefined {
    return this.controllerMac;
  }

  configuration(radioId: MacAddress): RadioConfiguration | undefined {
    return this.radios.get(formatMac(radioId))?.configuration;
  }

  addInterface(iface: MeshInterface): void {
    this.interfaces.push(iface);
    this.al.addInterface(iface.name);
  }

  /** Begins onboarding: Topology Discovery and a Search per band (again, if called again: e.g. after the backhaul came up). */
  start(now: number): AgentOutput {
    const out = new OutputCollector<AgentEvent>(this.al);
    this.nextDiscovery = sendTopologyDiscovery(out, this.options.alMac, this.interfaces, now);
    for (const radio of this.options.radios) this.searches.set(radio.band, now);
    this.sendDueSearches(out, now);
    return out.output;
  }

  tick(now: number): AgentOutput {
    const out = new OutputCollector<AgentEvent>(this.al);
    alTick(this.al, out, now);
    if (this.nextDiscovery !== undefined && now >= this.nextDiscovery) this.nextDiscovery = sendTopologyDiscovery(out, this.options.alMac, this.interfaces, now);
    this.sendDueSearches(out, now);
    for (const state of this.radios.values()) {
      if (state.pending && now >= state.pending.nextRetry) this.sendM1(state, out, now, true);
    }
    return out.output;
  }

  nextDeadline(): number | undefined {
    const times = [this.al.nextDeadline(), this.nextDiscovery, ...this.searches.values(), ...[...this.radios.values()].map((s) => s.pending?.nextRetry)];
    const defined = times.filter((t): t is number => t !== undefined);
    return defined.length > 0 ? Math.min(...defined) : undefined;
  }

  receive(frame: InFrame, now: number): AgentOutput {
    return receiveThrough<AgentEvent>(this.al, frame, now, (error) => ({ kind: 'refused', error }), (message, out) => this.handle(message, out, now));
  }

  private handle(message: ReceivedCmdu, out: OutputCollector<AgentEvent>, now: number): void {
    switch (message.cmdu.messageType) {
      case MessageType.ApAutoconfigResponse:
        return this.onResponse(message, out, now);
      case MessageType.ApAutoconfigWsc:
        return this.onWsc(message, out);
      case MessageType.ApAutoconfigRenew:
        return this.onRenew(message, out, now);
      case MessageType.TopologyQuery:
        return this.onTopologyQuery(message, out, now);
      case MessageType.MultiApPolicyConfigRequest:
        // EasyMesh: a Multi-AP Policy Config Request is acknowledged with a 1905 Ack carrying its message ID.
        out.send({ dst: message.src, messageType: MessageType.Ack, tlvs: [], messageId: message.cmdu.messageId }, now);
        return;
      default:
        return;
    }
  }

  private onResponse(message: ReceivedCmdu, out: OutputCollector<AgentEvent>, now: number): void {
    const role = requireTlv(message, 'supportedRole', 'SupportedRole').role;
    const band = requireTlv(message, 'supportedFreqBand', 'SupportedFreqBand').band;
    if (role !== ROLE_REGISTRAR) throw refusal(message, 'easymesh-not-registrar', `SupportedRole ${role} is not registrar`);
    const services = message.tlvs.find((t) => t.kind === 'supportedService');
    if (services && !services.services.includes(Service.MultiApController)) return; // a 1905 registrar, not a Multi-AP Controller
    if (this.controllerMac && !this.controllerMac.equals(message.src)) {
      throw refusal(message, 'easymesh-unknown-controller', `a Response from a second Controller (ours is ${formatMac(this.controllerMac)})`);
    }
    if (!this.searches.has(band) || this.searches.get(band) === undefined) return; // not searched, or already answered
    this.controllerMac = Buffer.from(message.src);
    this.searches.set(band, undefined);
    out.event({ kind: 'controller-found', alMac: Buffer.from(message.src), band });
    for (const state of this.radios.values()) {
      if (state.radio.band === band && !state.pending) this.sendM1(state, out, now, false);
    }
  }

  private onRenew(message: ReceivedCmdu, out: OutputCollector<AgentEvent>, now: number): void {
    const alMac = requireTlv(message, 'alMacAddress', 'AL MAC Address').alMac;
    const role = requireTlv(message, 'supportedRole', 'SupportedRole').role;
    requireTlv(message, 'supportedFreqBand', 'SupportedFreqBand');
    if (role !== ROLE_REGISTRAR) throw refusal(message, 'easymesh-not-registrar', `SupportedRole ${role} is not registrar`);
    if (!this.controllerMac || !this.controllerMac.equals(alMac)) {
      throw refusal(message, 'easymesh-unknown-controller', `Renew from ${formatMac(alMac)}, not from our Controller`);
    }
    out.event({ kind: 'renew', from: Buffer.from(alMac) });
    for (const state of this.radios.values()) this.sendM1(state, out, now, false);
  }

  private onWsc(message: ReceivedCmdu, out: OutputCollector<AgentEvent>): void {
    if (!this.controllerMac || !this.controllerMac.equals(message.src)) throw refusal(message, 'easymesh-unknown-controller', 'WSC from an AL that is not our Controller');
    const radioId = requireTlv(message, 'apRadioIdentifier', 'AP Radio Identifier').radioId;
    const state = this.radios.get(formatMac(radioId));
    if (!state) throw refusal(message, 'easymesh-unknown-radio', `M2 for radio ${formatMac(radioId)}, which this Agent does not have`);
    if (!state.pending) throw refusal(message, 'easymesh-unexpected-m2', `M2 for radio ${formatMac(radioId)} without an M1 waiting`);
    const m2s = message.tlvs.filter((t) => t.kind === 'wsc');
    if (m2s.length === 0) throw refusal(message, 'easymesh-missing-tlv', 'no WSC TLV');
    const bsses: ReceivedBss[] = [];
    let teardown = false;
    for (const [index, tlv] of m2s.entries()) {
      const opened = openAutoconfigM2(state.pending.secrets, tlv.message);
      if (!opened.ok) {
        throw refusal(message, M2_FAILURE_CODES[opened.reason], `M2 ${index + 1} of ${m2s.length}: ${opened.detail}`);
      }
      if (opened.teardown) teardown = true;
      else bsses.push(opened.bss);
    }
    if (!teardown && bsses.length > state.radio.maxBss) {
      throw refusal(message, 'easymesh-too-many-bss', `${bsses.length} BSSs for a radio that runs ${state.radio.maxBss}`);
    }
    if (this.options.backhaulRadioId?.equals(radioId) && (teardown || !bsses.some((b) => b.backhaul))) {
      // The M1 was answered: stop resending it; the last good configuration stays until a Renew.
      this.dropPending(state);
      throw refusal(message, 'easymesh-backhaul-teardown', `the configuration for radio ${formatMac(radioId)} drops the backhaul BSS this Agent depends on`);
    }
    state.configuration = teardown ? { kind: 'teardown' } : { kind: 'bsses', bsses };
    this.dropPending(state);
    const vlan = message.tlvs.find((t) => t.kind === 'default8021QSettings');
    const separation = message.tlvs.find((t) => t.kind === 'trafficSeparationPolicy');
    out.event({
      kind: 'radio-configured', radioId: Buffer.from(radioId), configuration: state.configuration,
      ...(vlan ? { primaryVlanId: vlan.primaryVlanId } : {}),
      ...(separation ? { trafficSeparation: separation.ssids } : {}),
    });
  }

  private onTopologyQuery(message: ReceivedCmdu, out: OutputCollector<AgentEvent>, now: number): void {
    out.send({
      dst: message.src,
      messageId: message.cmdu.messageId,
      messageType: MessageType.TopologyResponse,
      tlvs: [
        {
          kind: 'deviceInformation',
          alMac: this.options.alMac,
          interfaces: this.interfaces.map((i) => ({ mac: i.mac, mediaType: i.mediaType ?? 0x0001, mediaSpecific: i.mediaSpecific ?? Buffer.alloc(0) })),
        },
        { kind: 'supportedService', services: [Service.MultiApAgent] },
      ],
    }, now);
  }

  /** Forgets the radio's outstanding M1 and wipes its DH private key. */
  private dropPending(state: RadioState): void {
    if (state.pending) wipe(state.pending.secrets.privateKey);
    state.pending = undefined;
  }

  private sendM1(state: RadioState, out: OutputCollector<AgentEvent>, now: number, retry: boolean): void {
    if (!retry) this.dropPending(state);
    const secrets = state.pending ? state.pending.secrets : buildAutoconfigM1(this.options.device, this.options.alMac, state.radio.rfBands, this.rng);
    const { radio } = state;
    const messageId = out.send({
      dst: this.controllerMac!,
      messageType: MessageType.ApAutoconfigWsc,
      tlvs: [
        { kind: 'apRadioBasicCapabilities', radioId: radio.radioId, maxBss: radio.maxBss, opClasses: radio.opClasses },
        { kind: 'wsc', message: secrets.m1 },
      ],
    }, now);
    state.pending = { secrets, nextRetry: now + this.retryMs };
    out.event({ kind: 'm1-sent', radioId: Buffer.from(radio.radioId), messageId, retry });
  }

  private sendDueSearches(out: OutputCollector<AgentEvent>, now: number): void {
    for (const [band, due] of this.searches) {
      if (due === undefined || now < due) continue;
      const messageId = out.send({
        dst: IEEE1905_MULTICAST,
        messageType: MessageType.ApAutoconfigSearch,
        relay: true,
        tlvs: [
          { kind: 'alMacAddress', alMac: this.options.alMac },
          { kind: 'searchedRole', role: ROLE_REGISTRAR },
          { kind: 'autoconfigFreqBand', band },
          { kind: 'supportedService', services: [Service.MultiApAgent] },
          { kind: 'searchedService', services: [Service.MultiApController] },
          { kind: 'multiApProfile', profile: this.options.profile ?? 2 },
        ],
      }, now);
      this.searches.set(band, now + this.retryMs);
      out.event({ kind: 'search-sent', band, messageId });
    }
  }
}
