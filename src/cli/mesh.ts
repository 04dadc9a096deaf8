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
import { MeshNode } from '../daemon/mesh-node.js';
import type { ReceivedCmdu } from '../daemon/mesh-node.js';
import type { MeshCommonConfig, MeshParseResult } from '../config/mesh-conf.js';
import type { ConfigError } from '../config/diagnostics.js';
import { realScheduler } from '../sim/scheduler.js';
import type { Scheduler } from '../sim/scheduler.js';
import { expectOperationalError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { formatMac } from '../util/mac.js';
import { EventOutlet, loadConfig, loggerFromFlags, serve } from './daemon-process.js';
import type { ProcessIo } from './process-io.js';
import { commandLine, stopSignal } from './process-io.js';

/** What the role (Controller or Agent) gets to work with. */
export interface MeshRoleContext<C> {
  config: C;
  confPath: string;
  node: MeshNode;
  log: Logger;
  scheduler: Scheduler;
  internalErrors: InternalErrorReport;
  /** An event on the control socket (`<3>TEXT` to attached monitors) and in the log. */
  emit: (text: string) => void;
}

/** The protocol side of a daemon: CMDUs in, its own control commands, SIGHUP. */
export interface MeshRole<C> {
  onCmdu(received: ReceivedCmdu): void;
  /** Starts the protocol (e.g. the Agent's first Search). */
  start(): void;
  /** Role-specific `STATUS` lines. */
  status(): string;
  /** A role command's reply, or undefined when the role does not know it. */
  command(ctx: CommandContext): Promise<string | undefined> | string | undefined;
  /** SIGHUP: the file re-read and checked; false when refused (the running configuration stays). */
  reload(config: C): Promise<boolean> | boolean;
  close(): void;
}

export interface MeshDaemonSpec<C extends MeshCommonConfig> {
  name: 'controller' | 'agent';
  usage: string;
  parse: (text: Buffer, options: { file: string }) => MeshParseResult<C>;
  /** Checks the parsed file further (e.g. the bss_info lines); its errors, none when fine. */
  check?: (config: C, confPath: string) => ConfigError[];
  role: (context: MeshRoleContext<C>) => MeshRole<C>;
}

export async function runMeshDaemon<C extends MeshCommonConfig>(spec: MeshDaemonSpec<C>, argv: string[], io: ProcessIo): Promise<number> {
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
  const closeTransports = () => {
    for (const t of transports) t.close();
  };
  for (const name of config.interfaces) {
    try {
      transports.push(openIeee1905Port(name, config.alMac ? { alMac: config.alMac } : {}));
    } catch (error) {
      closeTransports();
      io.stderr(`onboard ${spec.name}: ${expectOperationalError(error).message}\n`);
      return 1;
    }
  }
  const alMac = config.alMac ?? transports[0]!.mac;
  const internalErrors = new InternalErrorReport((line) => log.error(`${ifname}: ${line}`));
  const outlet = new EventOutlet(log, ifname);
  let role: MeshRole<C> | null = null;
  const node = new MeshNode({
    alMac,
    transports,
    scheduler: realScheduler,
    log,
    internalErrors,
    onCmdu: (received) => role?.onCmdu(received),
  });
  log.info(`${ifname}: AL MAC ${formatMac(alMac)} on ${transports.map((t) => `${t.ifname} (${formatMac(t.mac)})`).join(', ')}`);
  role = spec.role({ config, confPath, node, log, scheduler: realScheduler, internalErrors, emit: (text) => outlet.emit(text) });
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
  const handle = async (ctx: CommandContext): Promise<string> => {
    switch (ctx.command) {
      case 'PING':
        return 'PONG\n';
      case 'STATUS':
        return (
          `al_mac=${formatMac(alMac)}\ninterfaces=${config.interfaces.join(' ')}\n` +
          `cmdus_received=${node.counters.received}\nframes_sent=${node.counters.sent}\nrefused=${node.counters.refused}\n` +
          `protocol_refused=${node.counters.protocolRefused}\nduplicates=${node.counters.duplicates}\ninternal_errors=${internalErrors.count}\n` +
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
      role?.close();
      return Promise.resolve();
    },
    closeLink: () => node.close(),
  });
}
