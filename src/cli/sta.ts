/**
 * `onboard sta -i IFACE -c FILE [-D wired|sim] [-p PARAMS] [-d[d]] [-K] [-t]`: the Enrollee/STA
 * daemon as a process, like `wpa_supplicant -Dwired`, or on a radio of `onboard medium`
 * (`-D sim -p medium=PATH`). The configuration is checked before anything is opened: one bad line
 * and the process exits 1, touching nothing.
 */
import { readFile } from 'node:fs/promises';
import { parseWpaSupplicantConf } from '../config/index.js';
import { StaDaemon } from '../daemon/sta-daemon.js';
import { StaEapLink } from '../daemon/eap-links.js';
import { RadioSta } from '../daemon/radio-sta.js';
import type { StaLink } from '../daemon/sta-daemon.js';
import type { SimParams } from '../drivers/sim.js';
import { openSimRadio, parseSimParams } from '../drivers/sim.js';
import { systemRng } from '../util/rng.js';
import { realScheduler } from '../sim/scheduler.js';
import { formatMac } from '../util/mac.js';
import { EventOutlet, loadConfig, loggerFromFlags, openPort, serve } from './daemon-process.js';
import type { ProcessIo } from './process-io.js';
import { commandLine, processIo, stopSignal } from './process-io.js';
import { LogLevel } from '../util/logger.js';
import { InternalErrorReport } from '../daemon/internal-errors.js';
import { banner } from './version.js';
import { supplicantEventLines } from '../ctrl/event-text.js';

export const STA_USAGE = `${banner('the Enrollee/STA daemon, like wpa_supplicant')}

usage:
  onboard sta [-dhKtv] -i<ifname> -c<config file> [-D<driver>] [-p<driver_param>]

drivers:
  wired = 802.1X supplicant on an Ethernet interface, as wpa_supplicant -Dwired (default; root)
  sim   = a radio on \`onboard medium\`; -p medium=PATH[,mac=MAC][,channel=N][,scan=passive]
options:
  -c = configuration file, wpa_supplicant.conf syntax (ctrl_interface=, update_config=1, the WPS
       device options, network blocks)
  -d = increase debugging verbosity (-dd even more)
  -D = driver name (wired or sim)
  -h = show this help text
  -i = interface name (also the name of the control socket in ctrl_interface)
  -K = include keys (passwords, etc.) in debug output
  -p = driver parameters
  -t = include timestamp in debug messages
  -v = show version
example:
  onboard sta -D sim -p medium=/tmp/onboard-air.sock -i extender -c examples/extender.conf
`;

export async function runSta(argv: string[], io: ProcessIo = processIo): Promise<number> {
  const options = commandLine('sta', argv, 'i:c:D:p:dKt', STA_USAGE, io);
  if (typeof options === 'number') return options;
  const ifname = options.values.get('i');
  const confPath = options.values.get('c');
  const driver = options.values.get('D') ?? 'wired';
  if (!ifname || !confPath || options.operands.length > 0) {
    io.stderr(`onboard sta: ${options.operands.length > 0 ? `unexpected argument ${options.operands[0]}` : '-i and -c are required'}\n${STA_USAGE}`);
    return 2;
  }
  if (driver !== 'wired' && driver !== 'sim') {
    io.stderr(`onboard sta: driver "${driver}" is not supported (supported: wired, sim)\n`);
    return 2;
  }
  let simParams: SimParams | null = null;
  if (driver === 'sim') {
    try {
      simParams = parseSimParams(options.values.get('p'));
    } catch (error) {
      io.stderr(`onboard sta: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const log = loggerFromFlags(options, io);

  const parsed = loadConfig('sta', confPath, (text) => parseWpaSupplicantConf(text, { file: confPath }), io);
  if (!parsed) return 1;
  const terminate = stopSignal();
  const outlet = new EventOutlet(log, ifname);
  const internalErrors = new InternalErrorReport((line) => log.error(`${ifname}: ${line}`));
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
      io.stderr(`onboard sta: ${(error as Error).message}\n`);
      return 1;
    }
    radio = new RadioSta({
      port,
      scheduler: realScheduler,
      device: () => daemon!.deviceInfo,
      rng: systemRng,
      emit: outlet.emit,
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
    const port = openPort('sta', ifname, io);
    if (!port) return 1;
    const eap = new StaEapLink({
      ownMac: port.mac,
      scheduler: realScheduler,
      port,
      eapolVersion: parsed.config.globals.eapolVersion,
      onEvent: (event) => {
        for (const line of supplicantEventLines(event)) outlet.emit(line);
        // The WPS operation names each WSC message in the log.
        if (event.type !== 'wsc-message') log.debug(`EAPOL: supplicant ${event.type}${'reason' in event ? ` (${String(event.reason)})` : ''}`);
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
  daemon = new StaDaemon({
    ifname,
    confPath,
    conf: parsed.config,
    macAddress,
    scheduler: realScheduler,
    link,
    emit: outlet.emit,
    logger: log,
    readConf: () => readFile(confPath),
    onTerminate: () => terminate.resolve('TERMINATE'),
  });
  const running = daemon;
  const { globals } = parsed.config;
  const group = globals.ctrlInterface?.group ?? globals.ctrlInterfaceGroup;
  return serve({
    name: 'sta',
    io,
    log,
    ifname,
    confPath,
    outlet,
    control: { dir: globals.ctrlInterface?.dir, ...(group !== undefined ? { group } : {}), maxRequestBytes: 8192, handle: (ctx) => running.handle(ctx), internalErrors },
    reloadCommand: 'RECONFIGURE',
    terminate: terminate.promise,
    started: () => running.start(),
    shutdown: async () => {
      link.stopAttempt();
      leaveLink();
      await running.settled();
      // wpa_supplicant_deinit_iface: the last event before the control socket closes.
      outlet.emit('CTRL-EVENT-TERMINATING ');
    },
    closeLink,
  });
}
