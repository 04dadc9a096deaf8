/**
 * `onboard sta -i IFACE -c FILE [-D wired] [-d[d]] [-K] [-t]`: the Enrollee/STA daemon as a
 * process, like `wpa_supplicant -Dwired`. The configuration is checked before anything is opened:
 * one bad line and the process exits 1, touching nothing.
 */
import { readFile } from 'node:fs/promises';
import { parseWpaSupplicantConf } from '../config/index.js';
import { StaDaemon } from '../daemon/sta-daemon.js';
import { StaEapLink } from '../daemon/eap-links.js';
import { realScheduler } from '../sim/scheduler.js';
import { formatMac } from '../util/mac.js';
import { EventOutlet, loadConfig, loggerFromFlags, openPort, serve } from './daemon-process.js';
import type { ProcessIo } from './process-io.js';
import { commandLine, processIo, stopSignal } from './process-io.js';
import { LogLevel } from '../util/logger.js';

export const STA_USAGE = `usage: onboard sta -i IFACE -c CONFIG [-D wired] [-d|-dd] [-K] [-t]
  -i IFACE   network interface (its name is also the control socket's name)
  -c CONFIG  wpa_supplicant.conf
  -D DRIVER  wired (802.1X on an Ethernet interface; default)
  -d, -dd    debug / message-dump log on stdout
  -K         include key material in the log
  -t         timestamps in the log
`;

export async function runSta(argv: string[], io: ProcessIo = processIo): Promise<number> {
  const options = commandLine('sta', argv, 'i:c:D:dKt', STA_USAGE, io);
  if (typeof options === 'number') return options;
  const ifname = options.values.get('i');
  const confPath = options.values.get('c');
  const driver = options.values.get('D') ?? 'wired';
  if (!ifname || !confPath || options.operands.length > 0) {
    io.stderr(`onboard sta: ${options.operands.length > 0 ? `unexpected argument ${options.operands[0]}` : '-i and -c are required'}\n${STA_USAGE}`);
    return 2;
  }
  if (driver !== 'wired') {
    io.stderr(`onboard sta: driver "${driver}" is not supported (supported: wired)\n`);
    return 2;
  }
  const log = loggerFromFlags(options, io);

  const parsed = loadConfig('sta', confPath, (text) => parseWpaSupplicantConf(text, { file: confPath }), io);
  if (!parsed) return 1;
  const port = openPort('sta', ifname, io);
  if (!port) return 1;
  log.debug(`${ifname}: own MAC ${formatMac(port.mac)}, driver ${driver}`);

  const terminate = stopSignal();
  const outlet = new EventOutlet(log, ifname);
  const link = new StaEapLink({
    ownMac: port.mac,
    scheduler: realScheduler,
    port,
    eapolVersion: parsed.config.globals.eapolVersion,
    onEvent: (event) => log.debug(`EAPOL: supplicant ${event.type}${'reason' in event ? ` (${String(event.reason)})` : ''}`),
  });
  port.onFrame((frame) => {
    log.hexdump(LogLevel.MsgDump, `${ifname}: RX EAPOL`, frame);
    link.receive(frame);
  });
  const daemon = new StaDaemon({
    ifname,
    confPath,
    conf: parsed.config,
    macAddress: port.mac,
    scheduler: realScheduler,
    link,
    emit: outlet.emit,
    logger: log,
    readConf: () => readFile(confPath),
    onTerminate: () => terminate.resolve('TERMINATE'),
  });
  const { globals } = parsed.config;
  const group = globals.ctrlInterface?.group ?? globals.ctrlInterfaceGroup;
  return serve({
    name: 'sta',
    io,
    log,
    ifname,
    confPath,
    outlet,
    control: { dir: globals.ctrlInterface?.dir, ...(group !== undefined ? { group } : {}), maxRequestBytes: 8192, handle: (ctx) => daemon.handle(ctx) },
    reloadCommand: 'RECONFIGURE',
    terminate: terminate.promise,
    shutdown: async () => {
      link.stopAttempt();
      await daemon.settled();
    },
    closeLink: () => port.close(),
  });
}
