/**
 * The Multi-AP Controller's AP-Autoconfiguration (Wi-Fi EasyMesh onboarding; IEEE 1905.1 AP-autoconfiguration), sans-I/O.
 *
 *   const controller = new Controller({ alMac, interfaces: [{ name: 'eth0', mac }], device, bssConfigs });
 *   controller.start(now)                 Topology Discovery on every interface
 *   controller.receive(frame, now)        frames from the transport (AlEntity.receive's InFrame)
 *   controller.tick(now) / nextDeadline() timers (Topology Discovery every 60 s, reassembly timeouts)
 *   controller.setBssConfigs(list)        new BSS list (the next M1s get it); renew() asks Agents for M1 again
 *   controller.renew(now, { alMac? })     AP-Autoconfiguration Renew: relayed multicast, or unicast (relay set) as prplMesh
 * Each returns { sends, events }: write `sends` (OutFrame) on their interfaces; `events` are
 * ControllerEvent or the AlEntity's own refused/duplicate events.
 *
 * Search → Response (SupportedRole registrar, SupportedFreqBand, SupportedService controller, and
 * the Multi-AP Profile when the Search had one), then a Topology Query to a new Agent. M1 (in a WSC
 * CMDU with AP Radio Basic Capabilities) from a known Agent whose MAC Address is its AL MAC →
 * one WSC CMDU: AP Radio Identifier + one M2 per configured BSS whose operating classes the radio
 * lists, at most the radio's max BSS (prplMesh handle_cmdu_1905_autoconfiguration_WSC), or one
 * tear-down M2; Default 802.1Q Settings and Traffic Separation Policy for profile-2 Agents when configured.
 */
import type { InFrame } from '../ieee1905/al-entity.js';
import { AlEntity } from '../ieee1905/al-entity.js';
import { IEEE1905_MULTICAST, MessageType } from '../ieee1905/cmdu.js';
import type { ReassemblyLimits } from '../ieee1905/fragmentation.js';
import type { LocalInterface, OperatingClassCapability, Tlv, TrafficSeparationSsid } from '../ieee1905/tlvs.js';
import { FreqBand, ROLE_REGISTRAR, Service } from '../ieee1905/tlvs.js';
import { expectOnboardError } from '../util/errors.js';
import type { MacAddress } from '../util/mac.js';
import { formatMac } from '../util/mac.js';
import type { Rng } from '../util/rng.js';
import { systemRng } from '../util/rng.js';
import { MessageType as WscMessageType } from '../wsc/constants.js';
import type { DeviceInfo } from '../wsc/device.js';
import type { DecodedMessage } from '../wsc/messages.js';
import { decodeMessage } from '../wsc/messages.js';
import type { M2Content } from './autoconfig-wsc.js';
import { M1_REQUIRED, buildAutoconfigM2, missingAttributes } from './autoconfig-wsc.js';
import type { BssConfig } from './bss.js';
import { matchesOpClass } from './bss.js';
import type { EasyMeshError } from './bss.js';
import type { MeshInterface, NodeOutput, ReceivedCmdu } from './node.js';
import { OutputCollector, alTick, receiveThrough, refusal, requireTlv, sendTopologyDiscovery } from './node.js';

export type { MeshInterface } from './node.js';
export { TOPOLOGY_DISCOVERY_INTERVAL_MS } from './node.js';

export interface TrafficSeparation {
  primaryVlanId: number;
  defaultPcp: number;
  ssids: TrafficSeparationSsid[];
}

export interface ControllerOptions {
  alMac: MacAddress;
  interfaces: readonly MeshInterface[];
  /** The Controller as a WSC Registrar describes itself in M2 (UUID-R, names, OS Version). */
  device: DeviceInfo;
  bssConfigs: readonly BssConfig[];
  /** AutoconfigFreqBand values answered (default 2.4, 5 and 60 GHz). */
  bands?: readonly number[];
  /** Multi-AP Profile put in a Response to a Search that carries one (default 2). */
  profile?: number;
  trafficSeparation?: TrafficSeparation;
  rng?: Rng;
  /** A Search for the same (AL MAC, band) answered less than this long ago is a storm (default 1 s). */
  searchHoldoffMs?: number;
  /** Responses sent per second at most, over all Agents (default 32). */
  maxResponsesPerSecond?: number;
  /** Agents remembered at most; the one heard from longest ago is forgotten first (default 256). */
  maxAgents?: number;
  reassembly?: Partial<ReassemblyLimits>;
}

export interface RadioInfo {
  radioId: MacAddress;
  maxBss: number;
  opClasses: OperatingClassCapability[];
}

export interface AgentInfo {
  alMac: MacAddress;
  lastHeard: number;
  /** Multi-AP Profile from its Search, if it sent one. */
  profile: number | undefined;
  radios: Map<string, RadioInfo>;
  /** From its Topology Response. */
  interfaces: LocalInterface[] | undefined;
  searchAnswered: Map<number, number>;
}

export type ControllerEvent =
  | { kind: 'search-answered'; alMac: MacAddress; band: number }
  | { kind: 'm2-sent'; alMac: MacAddress; radioId: MacAddress; bsses: BssConfig[]; teardown: boolean; messageId: number }
  | { kind: 'topology'; alMac: MacAddress; interfaces: LocalInterface[] }
  | { kind: 'renew-sent'; messageId: number; alMac?: MacAddress }
  | { kind: 'refused'; error: EasyMeshError };

export type ControllerOutput = NodeOutput<ControllerEvent>;

/** Radios remembered per Agent (EasyMesh devices have a handful); a flood of radio IDs forgets the oldest. */
const MAX_RADIOS_PER_AGENT = 16;


export class Controller {
  readonly al: AlEntity;
  private readonly interfaces: MeshInterface[];
  private bssConfigs: readonly BssConfig[];
  private readonly agentTable = new Map<string, AgentInfo>();
  private readonly rng: Rng;
  private readonly holdoffMs: number;
  private readonly maxResponsesPerSecond: number;
  private readonly maxAgents: number;
  private responseWindow = { start: -Infinity, count: 0 };
  private nextDiscovery: number | undefined;

  constructor(private readonly options: ControllerOptions) {
    this.rng = options.rng ?? systemRng;
    this.interfaces = [...options.interfaces];
    this.al = new AlEntity({
      alMac: options.alMac,
      interfaces: this.interfaces.map((i) => i.name),
      localMacs: this.interfaces.map((i) => i.mac),
      rng: this.rng,
      ...(options.reassembly ? { reassembly: options.reassembly } : {}),
    });
    this.bssConfigs = [...options.bssConfigs];
    this.holdoffMs = options.searchHoldoffMs ?? 1000;
    this.maxResponsesPerSecond = options.maxResponsesPerSecond ?? 32;
    this.maxAgents = options.maxAgents ?? 256;
  }

  get agents(): ReadonlyMap<string, Readonly<AgentInfo>> {
    return this.agentTable;
  }

  setBssConfigs(configs: readonly BssConfig[]): void {
    this.bssConfigs = [...configs];
  }

  addInterface(iface: MeshInterface): void {
    this.interfaces.push(iface);
    this.al.addInterface(iface.name);
  }

  start(now: number): ControllerOutput {
    const out = new OutputCollector<ControllerEvent>(this.al);
    this.nextDiscovery = sendTopologyDiscovery(out, this.options.alMac, this.interfaces, now);
    return out.output;
  }

  renew(now: number, target: { alMac?: MacAddress } = {}): ControllerOutput {
    const out = new OutputCollector<ControllerEvent>(this.al);
    const messageId = out.send({
      dst: target.alMac ?? IEEE1905_MULTICAST,
      messageType: MessageType.ApAutoconfigRenew,
      relay: true,
      tlvs: [
        { kind: 'alMacAddress', alMac: this.options.alMac },
        { kind: 'supportedRole', role: ROLE_REGISTRAR },
        { kind: 'supportedFreqBand', band: FreqBand.Band24 },
      ],
    }, now);
    out.event({ kind: 'renew-sent', messageId, ...(target.alMac ? { alMac: target.alMac } : {}) });
    return out.output;
  }

  tick(now: number): ControllerOutput {
    const out = new OutputCollector<ControllerEvent>(this.al);
    alTick(this.al, out, now);
    if (this.nextDiscovery !== undefined && now >= this.nextDiscovery) this.nextDiscovery = sendTopologyDiscovery(out, this.options.alMac, this.interfaces, now);
    return out.output;
  }

  nextDeadline(): number | undefined {
    const al = this.al.nextDeadline();
    if (al === undefined) return this.nextDiscovery;
    return this.nextDiscovery === undefined ? al : Math.min(al, this.nextDiscovery);
  }

  receive(frame: InFrame, now: number): ControllerOutput {
    return receiveThrough<ControllerEvent>(this.al, frame, now, (error) => ({ kind: 'refused', error }), (message, out) => this.handle(message, out, now));
  }

  private handle(message: ReceivedCmdu, out: OutputCollector<ControllerEvent>, now: number): void {
    switch (message.cmdu.messageType) {
      case MessageType.ApAutoconfigSearch:
        return this.onSearch(message, out, now);
      case MessageType.ApAutoconfigWsc:
        return this.onWsc(message, out, now);
      case MessageType.TopologyResponse:
        return this.onTopologyResponse(message, out, now);
      case MessageType.TopologyDiscovery: {
        // An Agent that searched before we started (or before our restart) is known from here on.
        const alMac = requireTlv(message, 'alMacAddress', 'AL MAC Address').alMac;
        if (!this.agentTable.has(formatMac(alMac))) out.send({ dst: alMac, messageType: MessageType.TopologyQuery, tlvs: [] }, now);
        this.agent(alMac, now);
        return;
      }
      default:
        return;
    }
  }

  private onSearch(message: ReceivedCmdu, out: OutputCollector<ControllerEvent>, now: number): void {
    const alMac = requireTlv(message, 'alMacAddress', 'AL MAC Address').alMac;
    const role = requireTlv(message, 'searchedRole', 'SearchedRole').role;
    const band = requireTlv(message, 'autoconfigFreqBand', 'AutoconfigFreqBand').band;
    if (role !== ROLE_REGISTRAR) throw refusal(message, 'easymesh-not-registrar', `SearchedRole ${role} is not registrar`);
    const searched = message.tlvs.find((t) => t.kind === 'searchedService');
    if (searched && !searched.services.includes(Service.MultiApController)) return;
    if (!(this.options.bands ?? [FreqBand.Band24, FreqBand.Band5, FreqBand.Band60]).includes(band)) return;
    const key = formatMac(alMac);
    const known = this.agentTable.get(key);
    const last = known?.searchAnswered.get(band);
    if (last !== undefined && now - last < this.holdoffMs) {
      throw refusal(message, 'easymesh-search-storm', `Search for band ${band} again after ${now - last} ms (answered at most once per ${this.holdoffMs} ms)`);
    }
    if (now - this.responseWindow.start >= 1000) this.responseWindow = { start: now, count: 0 };
    if (this.responseWindow.count >= this.maxResponsesPerSecond) {
      throw refusal(message, 'easymesh-search-storm', `more than ${this.maxResponsesPerSecond} Searches answered this second`);
    }
    this.responseWindow.count++;
    const profileTlv = message.tlvs.find((t) => t.kind === 'multiApProfile');
    const agent = this.agent(alMac, now);
    if (profileTlv) agent.profile = profileTlv.profile;
    agent.searchAnswered.set(band, now);
    const tlvs: Tlv[] = [
      { kind: 'supportedRole', role: ROLE_REGISTRAR },
      { kind: 'supportedFreqBand', band },
      { kind: 'supportedService', services: [Service.MultiApController] },
    ];
    if (profileTlv) tlvs.push({ kind: 'multiApProfile', profile: this.options.profile ?? 2 });
    // A response takes its request's message ID, as prplMesh's handle_cmdu_1905_autoconfiguration_search
    // answers (autoconfig.pcapng frames 8, 9) and as the 1905 Ack does.
    out.send({ dst: alMac, messageType: MessageType.ApAutoconfigResponse, tlvs, messageId: message.cmdu.messageId }, now);
    out.event({ kind: 'search-answered', alMac, band });
    if (!known) out.send({ dst: alMac, messageType: MessageType.TopologyQuery, tlvs: [] }, now);
  }

  private onWsc(message: ReceivedCmdu, out: OutputCollector<ControllerEvent>, now: number): void {
    const agent = this.agentTable.get(formatMac(message.src));
    if (!agent) throw refusal(message, 'easymesh-unknown-agent', 'WSC from an AL that never searched nor showed up in the topology');
    const caps = requireTlv(message, 'apRadioBasicCapabilities', 'AP Radio Basic Capabilities');
    const wscTlvs = message.tlvs.filter((t) => t.kind === 'wsc');
    if (wscTlvs.length !== 1) throw refusal(message, 'easymesh-bad-wsc', `${wscTlvs.length} WSC TLVs, an M1 comes alone`);
    let m1: DecodedMessage;
    try {
      m1 = decodeMessage(wscTlvs[0]!.message);
    } catch (error) {
      throw refusal(message, 'easymesh-bad-wsc', `M1: ${expectOnboardError(error).message}`);
    }
    if (m1.type !== WscMessageType.M1) throw refusal(message, 'easymesh-bad-wsc', `WSC message type ${m1.type ?? 'missing'} where an M1 belongs`);
    const missing = missingAttributes(m1.attrs, M1_REQUIRED);
    if (missing.length > 0) throw refusal(message, 'easymesh-bad-wsc', `M1 lacks ${missing.join(', ')}`);
    if (!m1.attrs.macAddress!.equals(message.src)) {
      throw refusal(message, 'easymesh-m1-mac-not-al-mac', `M1 MAC Address ${formatMac(m1.attrs.macAddress!)} is not the sender's AL MAC`);
    }
    const radioOpClasses = caps.opClasses.map((c) => c.opClass);
    const chosen = this.bssConfigs.filter((c) => c.alMac.equals(message.src) && matchesOpClass(c, radioOpClasses)).slice(0, caps.maxBss);
    const contents: M2Content[] = chosen.length > 0 ? chosen.map((config) => ({ kind: 'bss', config })) : [{ kind: 'teardown' }];
    const m2s: Buffer[] = [];
    for (const content of contents) {
      const m2 = buildAutoconfigM2(m1, this.options.device, content, this.rng);
      if (!m2) throw refusal(message, 'easymesh-bad-wsc', 'M1 public key is not a valid group element');
      m2s.push(m2);
    }
    agent.lastHeard = now;
    const radioKey = formatMac(caps.radioId);
    agent.radios.delete(radioKey);
    if (agent.radios.size >= MAX_RADIOS_PER_AGENT) agent.radios.delete(agent.radios.keys().next().value as string);
    agent.radios.set(radioKey, { radioId: Buffer.from(caps.radioId), maxBss: caps.maxBss, opClasses: caps.opClasses });
    const tlvs: Tlv[] = [{ kind: 'apRadioIdentifier', radioId: caps.radioId }, ...m2s.map((m): Tlv => ({ kind: 'wsc', message: m }))];
    const separation = this.options.trafficSeparation;
    if (separation && (agent.profile ?? 1) >= 2) {
      tlvs.push({ kind: 'default8021QSettings', primaryVlanId: separation.primaryVlanId, defaultPcp: separation.defaultPcp, reserved: 0 });
      tlvs.push({ kind: 'trafficSeparationPolicy', ssids: separation.ssids });
    }
    const messageId = out.send({ dst: message.src, messageType: MessageType.ApAutoconfigWsc, tlvs }, now);
    out.event({ kind: 'm2-sent', alMac: Buffer.from(message.src), radioId: Buffer.from(caps.radioId), bsses: chosen, teardown: chosen.length === 0, messageId });
  }

  private onTopologyResponse(message: ReceivedCmdu, out: OutputCollector<ControllerEvent>, now: number): void {
    const info = requireTlv(message, 'deviceInformation', 'Device Information');
    const agent = this.agentTable.get(formatMac(info.alMac));
    if (!agent) return;
    agent.lastHeard = now;
    agent.interfaces = info.interfaces;
    out.event({ kind: 'topology', alMac: Buffer.from(info.alMac), interfaces: info.interfaces });
  }

  private agent(alMac: MacAddress, now: number): AgentInfo {
    const key = formatMac(alMac);
    let agent = this.agentTable.get(key);
    if (!agent) {
      if (this.agentTable.size >= this.maxAgents) {
        let oldest: string | undefined;
        for (const [k, a] of this.agentTable) if (oldest === undefined || a.lastHeard < this.agentTable.get(oldest)!.lastHeard) oldest = k;
        this.agentTable.delete(oldest!);
      }
      agent = { alMac: Buffer.from(alMac), lastHeard: now, profile: undefined, radios: new Map(), interfaces: undefined, searchAnswered: new Map() };
      this.agentTable.set(key, agent);
    }
    agent.lastHeard = now;
    return agent;
  }
}
