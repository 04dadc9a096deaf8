/**
 * The demo's Multi-AP roles on their devices: the gateway's Controller on the gateway's bridge,
 * and an Agent on each extender's bridge whose configured BSSs go to the extender's AP. Each role
 * is the sans-I/O one of src/easymesh, driven by a MeshHost; what they report is kept, in order,
 * with the virtual time, for the demo's progress lines and checks.
 */
import type { BssConfig } from '../easymesh/bss.js';
import type { AgentEvent, ControllerEvent } from '../easymesh/index.js';
import { Agent, Controller } from '../easymesh/index.js';
import type { PassedAlEvent } from '../easymesh/node.js';
import { FreqBand } from '../ieee1905/tlvs.js';
import { formatMac } from '../util/mac.js';
import type { Rng } from '../util/rng.js';
import { RfBand } from '../wsc/constants.js';
import type { DeviceInfo } from '../wsc/device.js';
import type { AlNode } from './mesh-host.js';
import { MeshHost } from './mesh-host.js';
import type { AlEntity } from '../ieee1905/al-entity.js';
import type { World, WorldExtender } from './medium-world.js';
import { GATEWAY_AL_MAC } from './medium-world.js';

/** 2.4 GHz operating class 81 (channels 1..13, 20 MHz), the one our radios have. */
const OP_CLASS_24 = 81;

export interface Logged<E> {
  time: number;
  event: E;
}

export interface ControllerRole {
  controller: Controller;
  host: MeshHost<ControllerEvent | PassedAlEvent>;
  log: Logged<ControllerEvent | PassedAlEvent>[];
  /** A new BSS list, then AP-Autoconfiguration Renew to every Agent. */
  renew(configs: readonly BssConfig[]): void;
}

export interface AgentRole {
  agent: Agent;
  host: MeshHost<AgentEvent | PassedAlEvent>;
  log: Logged<AgentEvent | PassedAlEvent>[];
  /** What configuring the AP gave, per radio-configured event. */
  applied: { time: number; result: string }[];
  /** Search for the Controller (the backhaul link is up). */
  start(): void;
}

/** A role (Controller or Agent) on a bridge: its events logged with the time and reported as text, its interfaces following the bridge. */
function hostRole<E extends { kind: string }>(
  world: World,
  role: AlNode<E> & { al: AlEntity; addInterface(iface: { name: string; mac: Buffer }): void },
  bridge: WorldExtender['bridge'],
  text: (event: E) => string | null,
  report: (text: string) => void,
  also: (event: E) => void = () => {},
): { host: MeshHost<E>; log: Logged<E>[] } {
  const log: Logged<E>[] = [];
  const host = new MeshHost<E>({
    al: role.al,
    node: role,
    bridge,
    scheduler: world.clock,
    onEvent: (event) => {
      log.push({ time: world.clock.now(), event });
      const line = text(event);
      if (line) report(line);
      also(event);
    },
    onInterfaceAdded: (name, mac) => role.addInterface({ name, mac }),
  });
  return { host, log };
}

export function gatewayController(world: World, device: DeviceInfo, configs: readonly BssConfig[], rng: Rng, report: (text: string) => void): ControllerRole {
  const controller = new Controller({ alMac: GATEWAY_AL_MAC, interfaces: [], device, bssConfigs: configs, rng });
  const { host, log } = hostRole<ControllerEvent | PassedAlEvent>(world, controller, world.gatewayBridge, controllerEventText, report);
  world.onGatewayCmdu = (port, frame) => host.receive(port, frame);
  host.run((now) => controller.start(now));
  return {
    controller,
    host,
    log,
    renew: (next) => {
      controller.setBssConfigs(next);
      host.run((now) => controller.renew(now));
    },
  };
}

export function extenderAgent(world: World, extender: WorldExtender, rng: Rng, report: (text: string) => void): AgentRole {
  const agent = new Agent({
    alMac: extender.alMac,
    interfaces: [],
    device: extender.sta.daemon.deviceInfo,
    radios: [{ radioId: extender.bssids[0]!, band: FreqBand.Band24, maxBss: extender.bssids.length, rfBands: RfBand.Band24, opClasses: [{ opClass: OP_CLASS_24, maxTxPower: 20, nonOperableChannels: [] }] }],
    rng,
  });
  const applied: AgentRole['applied'] = [];
  const { host, log } = hostRole<AgentEvent | PassedAlEvent>(world, agent, extender.bridge, agentEventText, report, (event) => {
      if (event.kind === 'radio-configured') {
        const bsses = event.configuration.kind === 'bsses' ? event.configuration.bsses : [{ ssid: Buffer.alloc(0), authType: 0, encrType: 0, networkKey: Buffer.alloc(0), multiApExtension: 0x10 }];
        // The AP gets the new file at once (as SIGHUP re-reads it).
        const result = extender.configure(bsses);
        applied.push({ time: world.clock.now(), result });
        report(`AP ${result} with ${extender.ap ? extender.ap.daemon.runningConfig.bss.map((b) => `"${b.ssid?.toString() ?? ''}" (multi_ap=${b.multiApConfig.role})`).join(', ') : 'no BSS'}`);
      }
  });
  extender.onCmdu = (port, frame) => host.receive(port, frame);
  return { agent, host, log, applied, start: () => host.run((now) => agent.start(now)) };
}

function controllerEventText(event: ControllerEvent | PassedAlEvent): string | null {
  switch (event.kind) {
    case 'search-answered':
      return `Controller: Search from ${formatMac(event.alMac)} answered`;
    case 'm2-sent':
      return `Controller: M2 ${event.teardown ? '(tear-down)' : `for ${event.bsses.map((b) => `"${b.ssid.toString()}"`).join(', ')}`} to ${formatMac(event.alMac)}`;
    case 'renew-sent':
      return 'Controller: AP-Autoconfiguration Renew sent';
    case 'refused':
      return `Controller: refused ${event.error.message}`;
    default:
      return null;
  }
}

function agentEventText(event: AgentEvent | PassedAlEvent): string | null {
  switch (event.kind) {
    case 'search-sent':
      return 'Agent: AP-Autoconfiguration Search (relayed multicast)';
    case 'controller-found':
      return `Agent: Controller ${formatMac(event.alMac)} found`;
    case 'm1-sent':
      return `Agent: M1 for radio ${formatMac(event.radioId)}${event.retry ? ' (again)' : ''}`;
    case 'radio-configured':
      return `Agent: radio configured: ${event.configuration.kind === 'teardown' ? 'tear-down' : event.configuration.bsses.map((b) => `"${b.ssid.toString()}" (${b.fronthaul ? 'fronthaul' : ''}${b.fronthaul && b.backhaul ? '+' : ''}${b.backhaul ? 'backhaul' : ''})`).join(', ')}`;
    case 'renew':
      return 'Agent: Renew from the Controller';
    case 'refused':
      return `Agent: refused ${event.error.message}`;
    default:
      return null;
  }
}
