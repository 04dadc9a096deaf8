/**
 * What `onboard sta` and `onboard ap` share as processes: the debug log from `-d`/`-dd`/`-K`/`-t`,
 * configuration diagnostics on stderr, and the control socket.
 */
import { readFileSync } from 'node:fs';
import type { ConfigError, ConfigWarning } from '../config/index.js';
import { removeStaleTempFiles } from '../config/index.js';
import { openWiredPort } from '../drivers/wired.js';
import type { WiredPort } from '../drivers/wired.js';
import { CtrlSocketServer } from '../ctrl/ctrl-socket.js';
import { CtrlServerCore } from '../ctrl/server-core.js';
import type { CommandHandler } from '../ctrl/server-core.js';
import { Logger, levelFromDebugFlags } from '../util/logger.js';
import type { GetoptResult } from './getopt.js';
import type { ProcessIo } from './process-io.js';
import { handleSignals, stopSignal } from './process-io.js';
import { InternalErrorReport } from '../daemon/internal-errors.js';
import { isErrnoError } from '../util/errors.js';

export function loggerFromFlags(options: GetoptResult, io: ProcessIo): Logger {
  return new Logger({
    level: levelFromDebugFlags(options.flags.get('d') ?? 0),
    showKeys: options.flags.has('K'),
    sink: (line) => io.stdout(line + '\n'),
    clock: () => Date.now(),
    timestamps: options.flags.has('t'),
  });
}

/**
 * Reads and parses a configuration file before anything else is opened: every error and warning
 * goes to stderr as `FILE:LINE: ...`; null (start-up stops, nothing touched) on any error.
 */
export function loadConfig<T extends { errors: readonly ConfigError[]; warnings: readonly ConfigWarning[] }>(
  name: string,
  confPath: string,
  parse: (text: Buffer) => T,
  io: ProcessIo,
): T | null {
  let text: Buffer;
  try {
    text = readFileSync(confPath);
  } catch (error) {
    io.stderr(`onboard ${name}: cannot read ${confPath}: ${(error as Error).message}\n`);
    return null;
  }
  const parsed = parse(text);
  for (const w of parsed.warnings) io.stderr(`${w.message} (warning)\n`);
  for (const e of parsed.errors) io.stderr(`${e.message}\n`);
  if (parsed.errors.length === 0) return parsed;
  io.stderr(`onboard ${name}: ${confPath}: ${parsed.errors.length} error(s); not starting\n`);
  return null;
}

/** The wired interface, or null with the reason on stderr (no such interface, no native part, no permission). */
export function openPort(name: string, ifname: string, io: ProcessIo): WiredPort | null {
  try {
    return openWiredPort(ifname);
  } catch (error) {
    io.stderr(`onboard ${name}: ${(error as Error).message}\n`);
    return null;
  }
}

export interface ControlSetup {
  dir: string | undefined;
  ifname: string;
  group?: string;
  maxRequestBytes: number;
  handle: CommandHandler;
  log: Logger;
  /** Bugs in the command table are logged and counted here (the client gets FAIL). */
  internalErrors?: InternalErrorReport;
}

export interface Control {
  emit(text: string, level?: number): void;
  close(): void;
}

/** Opens the control socket when the configuration names a directory (no `ctrl_interface`: none). */
export async function openControl(setup: ControlSetup): Promise<Control> {
  const report = setup.internalErrors ?? new InternalErrorReport((line) => setup.log.error(`${setup.ifname}: ${line}`));
  const core = new CtrlServerCore({
    maxRequestBytes: setup.maxRequestBytes,
    handle: setup.handle,
    onInternalError: (error, command) => report.report(error, `control command ${command}`),
  });
  const server = setup.dir
    ? await CtrlSocketServer.open({ dir: setup.dir, ifname: setup.ifname, core, log: setup.log, ...(setup.group !== undefined ? { group: setup.group } : {}) })
    : null;
  return {
    emit: (text, level = 3) => {
      setup.log.log(level >= 3 ? 2 : 1, `${setup.ifname}: ${text}`);
      server?.event(level, text);
    },
    close: () => server?.close(),
  };
}

/**
 * Events a daemon emits before its control socket exists are logged only; afterwards they go out
 * too. Interface `index` (a BSS of the AP) has its own socket; 0 is the main one.
 */
export class EventOutlet {
  private readonly controls: Control[] = [];
  constructor(private readonly log: Logger, private readonly ifnames: string | readonly string[]) {}

  attach(control: Control, index = 0): void {
    this.controls[index] = control;
  }

  emit = (text: string, level = 3, index = 0): void => {
    const control = this.controls[index];
    if (control) control.emit(text, level);
    else this.log.log(level >= 3 ? 2 : 1, `${typeof this.ifnames === 'string' ? this.ifnames : (this.ifnames[index] ?? '')}: ${text}`);
  };
}

export interface ServeOptions {
  name: string;
  io: ProcessIo;
  log: Logger;
  ifname: string;
  confPath: string;
  outlet: EventOutlet;
  control: Omit<ControlSetup, 'ifname' | 'log'>;
  /** The daemon's own re-read command, run on SIGHUP (RECONFIGURE), unless `reload` is given. */
  reloadCommand: string;
  /** SIGHUP: re-read the file; false when it was refused. */
  reload?: () => Promise<boolean>;
  /** Further control sockets in the same directory, one per interface (hostapd's per-BSS sockets). */
  extraControls?: { ifname: string; handle: CommandHandler }[];
  /** Resolved by the daemon's TERMINATE. */
  terminate: Promise<string>;
  /** Stops the daemon and its link; the control socket closes after it. */
  shutdown: () => Promise<void>;
  /** Closes the interface: also run when start-up fails. */
  closeLink: () => void;
}

/** Temporary copies of the configuration left by a write a crash interrupted (they hold its keys). */
export function cleanStaleTempFiles(confPath: string, log: Logger): void {
  try {
    for (const name of removeStaleTempFiles(confPath)) log.info(`removed ${name}, left next to ${confPath} by an interrupted write`);
  } catch (error) {
    if (!isErrnoError(error)) throw error;
    log.warning(`cannot look for temporary files left next to ${confPath}: ${error.message}`);
  }
}

/** Opens the control socket, serves until TERMINATE/SIGTERM/SIGINT, then shuts down in order. */
export async function serve(options: ServeOptions): Promise<number> {
  const { io, log, ifname, confPath, name } = options;
  const controls: Control[] = [];
  try {
    controls.push(await openControl({ ...options.control, ifname, log }));
    for (const extra of options.extraControls ?? []) controls.push(await openControl({ ...options.control, ...extra, log }));
  } catch (error) {
    for (const c of controls) c.close();
    options.closeLink();
    io.stderr(`onboard ${name}: ${(error as Error).message}\n`);
    return 1;
  }
  controls.forEach((control, index) => options.outlet.attach(control, index));
  // Only now, with the control socket ours (a second daemon on the same interface stops above),
  // so no live writer's temporary file is taken away.
  cleanStaleTempFiles(confPath, log);
  const stop = stopSignal();
  void options.terminate.then((reason) => stop.resolve(reason));
  const removeSignals = handleSignals({
    shutdown: (signal) => stop.resolve(signal),
    reload: async () => {
      log.info(`${ifname}: SIGHUP: re-reading ${confPath}`);
      const command = options.reloadCommand;
      const ok = options.reload ? await options.reload() : (await options.control.handle({ client: '', command, args: [], raw: command })) === 'OK\n';
      if (!ok) io.stderr(`onboard ${name}: re-reading ${confPath} failed; keeping the running configuration\n`);
    },
  });
  log.info(`${ifname}: onboard ${name} started (${confPath})`);
  const reason = await stop.promise;
  log.info(`${ifname}: stopping (${reason})`);
  removeSignals();
  await options.shutdown();
  for (const control of controls) control.close();
  options.closeLink();
  return 0;
}
