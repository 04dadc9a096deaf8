/**
 * `onboard sta -i IFACE -c FILE [-D wired|sim] [-p PARAMS] [-g PATH] [-d[d]] [-K] [-t]`: the
 * Enrollee/STA daemon as a process, like `wpa_supplicant -Dwired`, or on a radio of `onboard medium`
 * (`-D sim -p medium=PATH`). With `-g PATH` it also serves wpa_supplicant's global control
 * interface there (INTERFACE_ADD / INTERFACE_REMOVE / INTERFACES / IFNAME=...), and may start with
 * no interface at all. The configuration is checked before anything is opened: one bad line and
 * the process exits 1 (or INTERFACE_ADD fails), touching nothing.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { parseWpaSupplicantConf } from '../config/index.js';
import { CtrlSocketServer } from '../ctrl/ctrl-socket.js';
import { CtrlServerCore } from '../ctrl/server-core.js';
import { supplicantEventLines } from '../ctrl/event-text.js';
import { StaDaemon } from '../daemon/sta-daemon.js';
import { StaEapLink } from '../daemon/eap-links.js';
import { RadioSta } from '../daemon/radio-sta.js';
import type { StaLink } from '../daemon/sta-daemon.js';
import type { GlobalMember, GlobalRegistry, InterfaceSpec } from '../daemon/sta-global.js';
import { globalCommand } from '../daemon/sta-global.js';
import { openSimRadio, parseSimParams } from '../drivers/sim.js';
import { realScheduler } from '../sim/scheduler.js';
import { LogLevel } from '../util/logger.js';
import type { Logger } from '../util/logger.js';
import { formatMac } from '../util/mac.js';
import { systemRng } from '../util/rng.js';
import type { Control } from './daemon-process.js';
import { EventOutlet, cleanStaleTempFiles, loadConfig, loggerFromFlags, openControl, openPort } from './daemon-process.js';
import { InternalErrorReport } from '../daemon/internal-errors.js';
import { expectOperationalError } from '../util/errors.js';
import { banner } from './version.js';
import type { DbusStaRegistry } from '../dbus/supplicant-service.js';
import { DbusStartError, SupplicantDbusService } from '../dbus/supplicant-service.js';
import { STA_KEY_PAIRS, startUp } from './start-up.js';
import type { DhKeyPool } from '../daemon/dh-key-pool.js';
import type { ProcessIo } from './process-io.js';
import { commandLine, handleSignals, processIo, stopSignal } from './process-io.js';

export const STA_USAGE = `${banner('the Enrollee/STA daemon, like wpa_supplicant')}

usage:
  onboard sta [-dhKtv] -i<ifname> -c<config file> [-D<driver>] [-p<driver_param>] [-g<global ctrl>]
  onboard sta [-dhKtv] -g<global ctrl>
  onboard sta [-dhKtuv] [-g<global ctrl>]

drivers:
  wired = 802.1X supplicant on an Ethernet interface, as wpa_supplicant -Dwired (default; root)
  sim   = a radio on \`onboard medium\`; -p medium=PATH[,mac=MAC][,channel=N][,scan=passive]
options:
  -c = configuration file, wpa_supplicant.conf syntax (ctrl_interface=, update_config=1, the WPS
       device options, network blocks)
  -d = increase debugging verbosity (-dd even more)
  -D = driver name (wired or sim)
  -g = global control interface: interfaces added and removed at run time
       (wpa_cli -g PATH interface_add IFNAME CONFIG DRIVER CTRL_INTERFACE DRIVER_PARAM)
  -h = show this help text
  -i = interface name (also the name of the control socket in ctrl_interface)
  -K = include keys (passwords, etc.) in debug output
  -p = driver parameters
  -t = include timestamp in debug messages
  -u = enable the D-Bus control interface (fi.w1.wpa_supplicant1 on the system bus, wpa_supplicant
       2.10's API; DBUS_SYSTEM_BUS_ADDRESS chooses the bus)
  -v = show version
example:
  onboard sta -D sim -p medium=/tmp/onboard-air.sock -i extender -c examples/extender.conf
`;

const DRIVERS = ['wired', 'sim'];

/** One interface the process runs: its daemon, link and control socket. */
interface StaInterface extends GlobalMember {
  daemon: StaDaemon;
  driver: string;
  confPath: string | null;
  /** Stops the daemon and its link, then closes the control socket. */
  stop(): Promise<void>;
}

interface Context {
  io: ProcessIo;
  log: Logger;
  /** TERMINATE from an interface or the global socket. */
  terminate: (reason: string) => void;
  /** Events of every interface also go to the global socket's monitors. */
  globalEvent: (ifname: string, level: number, text: string) => void;
  /** The D-Bus API (-u), once it is up. */
  dbus: SupplicantDbusService | null;
  /** Fresh DH key pairs for every interface's WPS runs, computed ahead of time. */
  keyPairs: DhKeyPool;
}

/**
 * Opens one interface as wpa_supplicant_add_iface does: configuration, driver, daemon, control
 * socket. Null (the reason reported) when any of them fails; nothing stays open then.
 */
async function openInterface(
  spec: InterfaceSpec,
  ctx: Context,
  out: { report: (message: string) => void; diagnostics: (text: string) => void; withoutConfig?: boolean },
): Promise<StaInterface | null> {
  const { report } = out;
  const { ifname, confPath } = spec;
  // D-Bus CreateInterface names a list (NetworkManager: "nl80211,wext"): the first one onboard has.
  const driver = spec.driver === undefined ? 'wired' : (spec.driver.split(',').find((d) => DRIVERS.includes(d)) ?? spec.driver);
  if (!confPath && !out.withoutConfig) {
    report(`${ifname}: no configuration file; onboard needs one per interface`);
    return null;
  }
  if (!DRIVERS.includes(driver)) {
    report(`driver "${driver}" is not supported (supported: ${DRIVERS.join(', ')})`);
    return null;
  }
  if (spec.bridge || spec.create) {
    report(`${ifname}: ${spec.bridge ? 'a bridge interface' : 'creating an interface'} is not supported by the ${driver} driver`);
    return null;
  }
  let simParams = null;
  if (driver === 'sim') {
    try {
      simParams = parseSimParams(spec.driverParam);
    } catch (error) {
      report(expectOperationalError(error).message);
      return null;
    }
  }
  const { io, log } = ctx;
  // Configuration diagnostics as `FILE:LINE: ...` lines (stderr at start, the log for INTERFACE_ADD).
  const diagnosticsIo: ProcessIo = { ...io, stderr: out.diagnostics };
  // CreateInterface without ConfigFile: an empty configuration in memory, as wpa_supplicant's.
  const parsed = confPath ? loadConfig('sta', confPath, (text) => parseWpaSupplicantConf(text, { file: confPath }), diagnosticsIo) : parseWpaSupplicantConf('', { file: '(none)' });
  if (!parsed) return null;

  const outlet = new EventOutlet(log, ifname);
  const internalErrors = new InternalErrorReport((line) => log.error(`${ifname}: ${line}`));
  const emit = (text: string, level = 3) => {
    outlet.emit(text, level);
    ctx.globalEvent(ifname, level, text);
    ctx.dbus?.event(ifname, text);
  };
  let daemon: StaDaemon | null = null;
  let link: StaLink & { stopAttempt(): void };
  let macAddress: Buffer;
  let closeLink: () => void;
  /** Leaves the BSS while the control socket is still open, so monitors hear the disconnection. */
  let leaveLink = (): void => {};
  if (simParams) {
    let radio: RadioSta | null = null;
    let port;
    try {
      port = await openSimRadio(ifname, simParams, (frame) => radio?.receive(frame), (error) => log.error(`${ifname}: medium: ${error.message}`));
    } catch (error) {
      report(expectOperationalError(error).message);
      return null;
    }
    radio = new RadioSta({
      port,
      scheduler: realScheduler,
      device: () => daemon!.deviceInfo,
      rng: systemRng,
      emit,
      cancelWps: () => void daemon?.handle({ client: '', command: 'WPS_CANCEL', args: [], raw: 'WPS_CANCEL' }),
      note: (text) => log.debug(`${ifname}: ${text}`),
      ...(simParams.passiveScan ? { passiveScan: true } : {}),
    });
    const sta = radio;
    link = radio;
    macAddress = port.mac;
    closeLink = () => {
      sta.stop();
      port.detach();
    };
    leaveLink = () => sta.stop();
  } else {
    const port = openPort('sta', ifname, diagnosticsIo);
    if (!port) return null;
    const eap = new StaEapLink({
      ownMac: port.mac,
      scheduler: realScheduler,
      port,
      eapolVersion: parsed.config.globals.eapolVersion,
      onEvent: (event) => {
        for (const line of supplicantEventLines(event)) emit(line);
        // The WPS operation names each WSC message in the log.
        if (event.type !== 'wsc-message' && log.enabled(LogLevel.Debug)) log.debug(`EAPOL: supplicant ${event.type}${'reason' in event ? ` (${String(event.reason)})` : ''}`);
      },
      onInternalError: (error) => internalErrors.report(error, 'the WPS attempt'),
    });
    port.onFrame((frame) => {
      log.hexdump(LogLevel.MsgDump, `${ifname}: RX EAPOL`, frame);
      eap.receive(frame);
    });
    link = eap;
    macAddress = port.mac;
    closeLink = () => port.close();
  }
  log.debug(`${ifname}: own MAC ${formatMac(macAddress)}, driver ${driver}`);
  const running = new StaDaemon({
    ifname,
    confPath: confPath ?? '',
    conf: parsed.config,
    macAddress,
    scheduler: realScheduler,
    link,
    emit,
    logger: log,
    ...(confPath ? { readConf: () => readFile(confPath) } : {}),
    onTerminate: () => ctx.terminate('TERMINATE'),
    onWpsCredentials: (result) => ctx.dbus?.credentials(ifname, result),
    keyPairs: ctx.keyPairs,
  });
  daemon = running;
  const { globals } = parsed.config;
  // INTERFACE_ADD's ctrl_interface replaces the file's (wpa_supplicant_init_iface).
  const ctrlText = spec.ctrlInterface ?? ctrlInterfaceText(parsed.config.items);
  const ctrlDir = spec.ctrlInterface !== undefined ? ctrlDirOf(spec.ctrlInterface) : globals.ctrlInterface?.dir;
  const group = globals.ctrlInterface?.group ?? globals.ctrlInterfaceGroup;
  let control: Control;
  try {
    control = await openControl({ dir: ctrlDir, ifname, ...(group !== undefined ? { group } : {}), maxRequestBytes: 8192, handle: (c) => running.handle(c), log, internalErrors });
  } catch (error) {
    closeLink();
    report(expectOperationalError(error).message);
    return null;
  }
  outlet.attach(control);
  // Only now, with the control socket ours (a second daemon on the same interface stops above),
  // so no live writer's temporary file is taken away.
  if (confPath) cleanStaleTempFiles(confPath, log);
  log.info(`${ifname}: onboard sta started (${confPath ?? 'no configuration file'})`);
  // As wpa_supplicant at start: scan and connect with the enabled networks.
  running.start();
  return {
    ifname,
    macAddress,
    ctrlInterface: ctrlText,
    daemon: running,
    driver,
    confPath: confPath ?? null,
    handle: (c) => running.handle(c),
    stop: async () => {
      // The radio's deinit first: it ends a WPS run's association itself, as wpa_supplicant_deinit_iface does.
      leaveLink();
      link.stopAttempt();
      running.deinitWire();
      await running.settled();
      // wpa_supplicant_deinit_iface: the last event before the control socket closes.
      emit('CTRL-EVENT-TERMINATING ');
      control.close();
      closeLink();
    },
  };
}

/** The raw ctrl_interface value of the file (INTERFACES ctrl prints it as written). */
function ctrlInterfaceText(items: readonly { kind: string; name?: string; value?: string }[]): string | null {
  const item = [...items].reverse().find((i) => i.kind === 'global' && i.name === 'ctrl_interface');
  return item?.value ?? null;
}

/** `DIR=<dir> [GROUP=<group>]` or a plain directory. */
function ctrlDirOf(text: string): string {
  const m = /^DIR=(\S+)/.exec(text);
  return m ? m[1]! : text;
}

export async function runSta(argv: string[], io: ProcessIo = processIo): Promise<number> {
  const options = commandLine('sta', argv, 'i:c:D:p:g:dKtu', STA_USAGE, io);
  if (typeof options === 'number') return options;
  const ifname = options.values.get('i');
  const confPath = options.values.get('c');
  const globalPath = options.values.get('g');
  const withDbus = options.flags.has('u');
  const driver = options.values.get('D') ?? 'wired';
  const problem =
    options.operands.length > 0
      ? `unexpected argument ${options.operands[0]}`
      : !ifname && !globalPath && !withDbus
        ? '-i and -c (or -g or -u) are required'
        : ifname && !confPath
          ? '-c is required with -i'
          : !ifname && (confPath || options.values.has('D') || options.values.has('p'))
            ? '-c, -D and -p belong to an interface: give -i too'
            : null;
  if (problem) {
    io.stderr(`onboard sta: ${problem}\n${STA_USAGE}`);
    return 2;
  }
  if (!DRIVERS.includes(driver)) {
    io.stderr(`onboard sta: driver "${driver}" is not supported (supported: ${DRIVERS.join(', ')})\n`);
    return 2;
  }
  if (driver === 'sim') {
    try {
      parseSimParams(options.values.get('p'));
    } catch (error) {
      io.stderr(`onboard sta: ${expectOperationalError(error).message}\n`);
      return 2;
    }
  }
  if (globalPath !== undefined && (globalPath.startsWith('@') || basename(globalPath) === '' || globalPath.endsWith('/'))) {
    io.stderr(`onboard sta: -g ${globalPath}: a path for the global control socket is needed (abstract sockets are not supported)\n`);
    return 2;
  }
  const log = loggerFromFlags(options, io);
  const keyPairs = startUp(log, io, STA_KEY_PAIRS);
  if (!keyPairs) return 1;
  const stop = stopSignal();
  const interfaces = new Map<string, StaInterface>();
  let globalServer: CtrlSocketServer | null = null;
  const ctx: Context = {
    io,
    log,
    terminate: (reason) => stop.resolve(reason),
    globalEvent: (name, level, text) => globalServer?.event(level, text, name),
    dbus: null,
    keyPairs,
  };

  if (ifname) {
    const first = await openInterface(
      { ifname, confPath: confPath!, driver, ...(options.values.has('p') ? { driverParam: options.values.get('p')! } : {}) },
      ctx,
      { report: (message) => io.stderr(`onboard sta: ${message}\n`), diagnostics: io.stderr },
    );
    if (!first) return 1;
    interfaces.set(ifname, first);
  }

  /** INTERFACE_ADD and D-Bus CreateInterface (`via` names which in the log): null when it cannot be opened. */
  const addInterface = async (spec: InterfaceSpec, via: string, withoutConfig: boolean): Promise<StaInterface | null> => {
    const added = await openInterface(spec, ctx, {
      report: (message) => log.error(`${via} ${spec.ifname}: ${message}`),
      diagnostics: (text) => log.error(`${via} ${spec.ifname}: ${text.trimEnd()}`),
      withoutConfig,
    });
    if (!added) return null;
    if (interfaces.has(spec.ifname)) {
      await added.stop();
      return null;
    }
    interfaces.set(spec.ifname, added);
    return added;
  };
  const removeInterface = async (name: string): Promise<boolean> => {
    const member = interfaces.get(name);
    if (!member) return false;
    interfaces.delete(name);
    await member.stop();
    return true;
  };
  const registry: GlobalRegistry = {
    members: () => [...interfaces.values()],
    add: async (spec) => {
      const added = await addInterface(spec, 'INTERFACE_ADD', false);
      // The D-Bus API announces it (InterfaceAdded), as wpas_notify_iface_added does.
      if (added) ctx.dbus?.attach(added);
      return added !== null;
    },
    remove: async (name) => {
      if (interfaces.has(name)) ctx.dbus?.detach(name);
      return removeInterface(name);
    },
    // After the reply has gone out, as the interface's TERMINATE does.
    terminate: () => void realScheduler.schedule(0, () => stop.resolve('TERMINATE')),
  };
  if (globalPath !== undefined) {
    try {
      const globalErrors = new InternalErrorReport((line) => log.error(`global: ${line}`));
      const core = new CtrlServerCore({
        maxRequestBytes: 8192,
        handle: (c) => globalCommand(c, registry),
        onInternalError: (error, command) => globalErrors.report(error, `global control command ${command}`),
      });
      globalServer = await CtrlSocketServer.open({ dir: dirname(globalPath), ifname: basename(globalPath), core, log });
    } catch (error) {
      for (const member of interfaces.values()) await member.stop();
      io.stderr(`onboard sta: ${expectOperationalError(error).message}\n`);
      return 1;
    }
    log.info(`global control interface on ${globalPath}`);
  }

  if (withDbus) {
    // wpas_dbus_init: CreateInterface/RemoveInterface open and close interfaces as INTERFACE_ADD does.
    const dbusRegistry: DbusStaRegistry = {
      members: () => [...interfaces.values()],
      add: (spec) => addInterface(spec, 'D-Bus CreateInterface', true),
      remove: removeInterface,
    };
    try {
      ctx.dbus = await SupplicantDbusService.start(dbusRegistry, log);
    } catch (error) {
      if (!(error instanceof DbusStartError)) throw error;
      for (const member of interfaces.values()) await member.stop();
      globalServer?.close();
      io.stderr(`onboard sta: -u: ${error.message}\n`);
      return 1;
    }
  }

  const removeSignals = handleSignals({
    shutdown: (signal) => stop.resolve(signal),
    reload: async () => {
      for (const member of interfaces.values()) {
        log.info(`${member.ifname}: SIGHUP: re-reading the configuration`);
        const reply = await member.handle({ client: '', command: 'RECONFIGURE', args: [], raw: 'RECONFIGURE' });
        if (reply !== 'OK\n') io.stderr(`onboard sta: ${member.ifname}: re-reading the configuration failed; keeping the running configuration\n`);
      }
    },
  });
  const reason = await stop.promise;
  log.info(`stopping (${reason})`);
  removeSignals();
  for (const member of [...interfaces.values()]) {
    ctx.dbus?.detach(member.ifname);
    await member.stop();
  }
  interfaces.clear();
  ctx.dbus?.stop();
  globalServer?.close();
  keyPairs.close();
  return 0;
}
