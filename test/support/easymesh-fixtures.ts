/**
 * The prplMesh selftest's topology (test/vectors/prplmesh-autoconfig/summary.txt, configs/) as our
 * Controller and Agents, and an in-process wire between them: every frame goes through both AlEntities.
 */
import { parseBssInfo, bssConfigsFrom } from '../../src/config/bss-info.js';
import type { AgentEvent, AgentRadio, ControllerEvent, NodeOutput } from '../../src/easymesh/index.js';
import { Agent, Controller } from '../../src/easymesh/index.js';
import type { OutFrame } from '../../src/ieee1905/index.js';
import { FreqBand } from '../../src/ieee1905/index.js';
import { parseMac } from '../../src/util/mac.js';
import type { Rng } from '../../src/util/rng.js';
import { ConfigMethod, RfBand } from '../../src/wsc/constants.js';
import type { DeviceInfo } from '../../src/wsc/device.js';

export const CONTROLLER_AL = parseMac('02:00:00:00:c0:ff');
export const AGENT_AL = parseMac('02:00:00:00:a0:ff');
export const AGENT2_AL = parseMac('02:00:00:00:b0:ff');

/** ucc-commands.txt: `ucc.py bss` with the two bss_info lines of the selftest. */
export const SELFTEST_BSS_INFO = [
  '02:00:00:00:a0:ff 8x Mesh-FH 0x0020 0x0008 fhpass123 0 1',
  '02:00:00:00:a0:ff 8x Mesh-BH 0x0020 0x0008 bhpass123 1 0',
].join('\n');

export function selftestConfigs() {
  const { entries, errors } = parseBssInfo(SELFTEST_BSS_INFO);
  if (errors.length > 0) throw errors[0]!;
  return bssConfigsFrom(entries);
}

export function meshDevice(name: string, uuidByte: number, mac: Buffer): DeviceInfo {
  return {
    uuid: Buffer.alloc(16, uuidByte), macAddress: mac, deviceName: name, manufacturer: 'onboard', modelName: 'onboard', modelNumber: '1',
    serialNumber: '1', primaryDeviceType: Buffer.from('00060050f2040001', 'hex'), osVersion: 0x00000001,
    configMethods: ConfigMethod.VirtualPushButton | ConfigMethod.PhysicalPushButton, rfBands: RfBand.Band24 | RfBand.Band50,
  };
}

/** prplMesh's fake radios: wlan0 = AL MAC ^ 0x04 (op class 81), wlan2 = AL MAC ^ 0x08 (115..127), max 2 BSSs each. */
export function prplmeshRadios(alMac: Buffer): AgentRadio[] {
  const radio = (xor: number) => {
    const id = Buffer.from(alMac);
    id[0]! ^= xor;
    return id;
  };
  return [
    { radioId: radio(0x04), band: FreqBand.Band24, maxBss: 2, rfBands: RfBand.Band24, opClasses: [{ opClass: 81, maxTxPower: 0, nonOperableChannels: [] }] },
    {
      radioId: radio(0x08), band: FreqBand.Band5, maxBss: 2, rfBands: RfBand.Band50,
      opClasses: Array.from({ length: 13 }, (_, i) => ({ opClass: 115 + i, maxTxPower: 0, nonOperableChannels: [] })),
    },
  ];
}

export function makeController(rng?: Rng, configs = selftestConfigs()): Controller {
  return new Controller({
    alMac: CONTROLLER_AL, interfaces: [{ name: 'veth-gw', mac: parseMac('02:00:00:00:c0:10') }],
    device: meshDevice('controller', 0xc0, CONTROLLER_AL), bssConfigs: configs, ...(rng ? { rng } : {}),
  });
}

export function makeAgent(alMac = AGENT_AL, rng?: Rng, extra: Partial<ConstructorParameters<typeof Agent>[0]> = {}): Agent {
  const ifMac = Buffer.from(alMac);
  ifMac[5] = 0x10;
  return new Agent({
    alMac, interfaces: [{ name: 'veth-ag', mac: ifMac }], device: meshDevice('agent', 0xa0, alMac), radios: prplmeshRadios(alMac),
    ...(rng ? { rng } : {}), ...extra,
  });
}

export type Node = Controller | Agent;

/** Frames in flight between one Controller and its Agents on one segment (every frame reaches every other node). */
export class Wire {
  readonly log: { from: string; frame: OutFrame }[] = [];
  readonly controllerEvents: ControllerEvent[] = [];
  readonly agentEvents = new Map<Agent, AgentEvent[]>();
  private queue: { from: Node; frame: OutFrame }[] = [];

  constructor(
    readonly controller: Controller,
    readonly agents: Agent[],
    readonly drop: (frame: OutFrame) => boolean = () => false,
  ) {
    for (const a of agents) this.agentEvents.set(a, []);
  }

  private nameOf(node: Node): string {
    return node === this.controller ? 'controller' : `agent${this.agents.indexOf(node as Agent) + 1}`;
  }

  take(from: Node, output: NodeOutput<unknown>): void {
    for (const frame of output.sends) this.queue.push({ from, frame });
    const events = output.events as never[];
    if (from === this.controller) this.controllerEvents.push(...events);
    else this.agentEvents.get(from as Agent)!.push(...events);
  }

  /** Delivers until nothing is in flight. */
  run(now: number): void {
    for (let guard = 0; this.queue.length > 0; guard++) {
      if (guard > 10_000) throw new Error('frames never stop');
      const { from, frame } = this.queue.shift()!;
      this.log.push({ from: this.nameOf(from), frame });
      if (this.drop(frame)) continue;
      for (const node of [this.controller, ...this.agents]) {
        if (node === from) continue;
        const iface = node === this.controller ? 'veth-gw' : 'veth-ag';
        this.take(node, node.receive({ iface, src: frame.src, dst: frame.dst, payload: frame.payload }, now));
      }
    }
  }
}

/** Records every draw of the wrapped Rng, so a test can recompute what the code under test derived. */
export class RecordingRng implements Rng {
  readonly draws: Buffer[] = [];
  constructor(private readonly inner: Rng) {}
  bytes(length: number): Buffer {
    const b = this.inner.bytes(length);
    this.draws.push(Buffer.from(b));
    return b;
  }
}
