/**
 * What `onboard controller` and `onboard agent` share as processes, in the manner of `onboard ap`:
 * `-c FILE` checked whole before anything is opened, `-d`/`-dd`/`-K`/`-t` logs, the 1905
 * interfaces opened (AF_PACKET, ethertype 0x893A, the 1905 multicast group, the AL MAC), a control
 * socket DIR/<first interface> that `onboard cli` (or wpa_cli/hostapd_cli `raw`) drives, SIGTERM /
 * SIGINT / TERMINATE shut down cleanly, SIGHUP re-reads the file (the role decides what follows:
 * the controller sends Renew).
 */
import { readFile } from 'node:fs/promises';
import type { Ieee1905Transport } from '../drivers/ieee1905.js';
import { openIeee1905Port } from '../drivers/ieee1905.js';
import type { CommandContext } from '../ctrl/server-core.js';
import { InternalErrorReport } from '../daemon/internal-errors.js';
import { MeshRuntime } from '../daemon/mesh-node.js';
import type { NodeOutputLike, SansIoMeshNode } from '../daemon/mesh-node.js';
import type { MeshCommonConfig, MeshParseResult } from '../config/mesh-conf.js';
import type { ConfigError } from '../config/diagnostics.js';
import { uuidFromMac } from '../config/values.js';
import { realScheduler } from '../sim/scheduler.js';
import type { Scheduler } from '../sim/scheduler.js';
import { expectOperationalError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { formatMac } from '../util/mac.js';
import type { MacAddress } from '../util/mac.js';
import { ConfigMethod, RfBand } from '../wsc/constants.js';
import type { DeviceInfo } from '../wsc/device.js';
import { EventOutlet, loadConfig, loggerFromFlags, serve } from './daemon-process.js';
import type { ProcessIo } from './process-io.js';
import { commandLine, stopSignal } from './process-io.js';

/** What the role (Controller or Agent) gets to work with. */
export interface MeshRoleContext<C> {
  config: C;
  confPath: string;
  alMac: MacAddress;
  transports: readonly Ieee1905Transport[];
  log: Logger;
  scheduler: Scheduler;
  internalErrors: InternalErrorReport;
  /** An event on the control socket (`<3>TEXT` to attached monitors) and in the log. */
  emit: (text: string) => void;
  /** Runs an operation of the node (start, renew, ...): its frames go out, its events come back to the role. */
  run: (operation: (now: number) => NodeOutputLike<{ kind: string }>, what: string) => void;
}

/** The protocol side of a daemon: the sans-I/O node, its events, its own control commands, SIGHUP. */
export interface MeshRole<C, E extends { kind: string }> {
  node: SansIoMeshNode<E>;
  onEvent(event: E): void;
  /** Starts the protocol (Topology Discovery, the Agent's first Search). */
  start(): void;
  /** Role-specific `STATUS` lines. */
  status(): string;
  /** A role command's reply, or undefined when the role does not know it. */
  command(ctx: CommandContext): Promise<string | undefined> | string | undefined;
  /** SIGHUP / RELOAD: the file re-read and checked; false when refused (the running configuration stays). */
  reload(config: C): Promise<boolean> | boolean;
  close(): void;
}

export interface MeshDaemonSpec<C extends MeshCommonConfig, E extends { kind: string }> {
  name: 'controller' | 'agent';
  usage: string;
  parse: (text: Buffer, options: { file: string }) => MeshParseResult<C>;
  /** Checks the parsed file further (e.g. the bss_info lines); its errors, none when fine. */
  check?: (config: C, confPath: string) => ConfigError[];
  role: (context: MeshRoleContext<C>) => MeshRole<C, E>;
}

/** Primary Device Type 6-0050F204-1: Network Infrastructure, AP (as hostapd's device_type default). */
const NETWORK_INFRASTRUCTURE_AP = Buffer.from('00060050f2040001', 'hex');

/** The WSC identity of the M1/M2 a daemon sends; unset names fall back to `name` and "onboard". */
export function meshDeviceInfo(config: MeshCommonConfig, alMac: MacAddress, name: string): DeviceInfo {
  const d = config.device;
  return {
    uuid: d.uuid ?? uuidFromMac(alMac),
    macAddress: Buffer.from(alMac),
    deviceName: d.deviceName ?? name,
    manufacturer: d.manufacturer ?? 'onboard',
    modelName: d.modelName ?? 'onboard',
    modelNumber: d.modelNumber ?? '1',
    serialNumber: d.serialNumber ?? '1',
    primaryDeviceType: NETWORK_INFRASTRUCTURE_AP,
    osVersion: d.osVersion ?? 0x80000000,
    configMethods: ConfigMethod.VirtualPushButton | ConfigMethod.PhysicalPushButton,
    rfBands: RfBand.Band24 | RfBand.Band50,
  };
}

export async function runMeshDaemon<C extends MeshCommonConfig, E extends { kind: string }>(spec: MeshDaemonSpec<C, E>, argv: string[], io: ProcessIo): Promise<number> {
  const options = commandLine(spec.name, argv, 'c:dKt', spec.usage, io);
  if (typeof options === 'number') return options;
  const confPath = options.values.get('c') ?? options.operands[0];
  if (!confPath || options.operands.length > (options.values.has('c') ? 0 : 1)) {
    io.stderr(`onboard ${spec.name}: ${confPath ? 'one configuration file per process' : 'a configuration file is required (-c FILE)'}\n${spec.usage}`);
    return 2;
  }
  const log = loggerFromFlags(options, io);
  const parse = (text: Buffer) => {
    const parsed = spec.parse(text, { file: confPath });
    const more = parsed.errors.length === 0 && spec.check ? spec.check(parsed.config, confPath) : [];
    return more.length === 0 ? parsed : { ...parsed, errors: [...parsed.errors, ...more] };
  };
  const parsed = loadConfig(spec.name, confPath, parse, io);
  if (!parsed) return 1;
  const config = parsed.config;
  const ifname = config.interfaces[0]!;

  const transports: Ieee1905Transport[] = [];
  for (const name of config.interfaces) {
    try {
      transports.push(openIeee1905Port(name, config.alMac ? { alMac: config.alMac } : {}));
    } catch (error) {
      for (const t of transports) t.close();
      io.stderr(`onboard ${spec.name}: ${expectOperationalError(error).message}\n`);
      return 1;
    }
  }
  const alMac = config.alMac ?? transports[0]!.mac;
  const internalErrors = new InternalErrorReport((line) => log.error(`${ifname}: ${line}`));
  const outlet = new EventOutlet(log, ifname);
  log.info(`${ifname}: AL MAC ${formatMac(alMac)} on ${transports.map((t) => `${t.ifname} (${formatMac(t.mac)})`).join(', ')}`);
  let runtime: MeshRuntime<E> | null = null;
  const role = spec.role({
    config, confPath, alMac, transports, log, scheduler: realScheduler, internalErrors,
    emit: (text) => outlet.emit(text),
    run: (operation, what) => runtime?.run(operation as (now: number) => NodeOutputLike<E>, what),
  });
  runtime = new MeshRuntime<E>({ node: role.node, transports, scheduler: realScheduler, log, internalErrors, onEvent: (event) => role.onEvent(event) });
  const terminate = stopSignal();
  const reload = async (): Promise<boolean> => {
    let text: Buffer;
    try {
      text = await readFile(confPath);
    } catch (error) {
      log.error(`cannot read ${confPath}: ${expectOperationalError(error).message}`);
      return false;
    }
    const again = parse(text);
    for (const e of again.errors) log.error(e.message);
    if (again.errors.length > 0) return false;
    return role.reload(again.config);
  };
  const counters = runtime.counters;
  const handle = async (ctx: CommandContext): Promise<string> => {
    switch (ctx.command) {
      case 'PING':
        return 'PONG\n';
      case 'STATUS':
        return (
          `al_mac=${formatMac(alMac)}\ninterfaces=${config.interfaces.join(' ')}\n` +
          `frames_received=${counters.received}\nframes_sent=${counters.sent}\nrefused=${counters.refused}\n` +
          `duplicates=${counters.duplicates}\ninternal_errors=${internalErrors.count}\n` +
          role.status()
        );
      case 'RELOAD':
        return (await reload()) ? 'OK\n' : 'FAIL\n';
      case 'TERMINATE':
        setImmediate(() => terminate.resolve('TERMINATE'));
        return 'OK\n';
      default:
        return (await role.command(ctx)) ?? 'UNKNOWN COMMAND\n';
    }
  };
  role.start();
  return serve({
    name: spec.name,
    io,
    log,
    ifname,
    confPath,
    outlet,
    control: {
      dir: config.ctrlInterface,
      ...(config.ctrlInterfaceGroup !== undefined ? { group: config.ctrlInterfaceGroup } : {}),
      maxRequestBytes: 4095,
      handle,
      internalErrors,
    },
    reloadCommand: 'RELOAD',
    reload,
    terminate: terminate.promise,
    shutdown: () => {
      role.close();
      return Promise.resolve();
    },
    closeLink: () => runtime.close(),
  });
}
