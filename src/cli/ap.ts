/**
 * `onboard ap -c FILE [-d[d]] [-K] [-t]` (or `onboard ap FILE`, as hostapd takes it): the
 * AP/Registrar daemon as a process. `interface=` and `driver=` come from the file; `driver=wired`
 * runs an 802.1X authenticator with the Registrar behind every supplicant port, as
 * `hostapd driver=wired eap_server=1 wps_state=2` does. An unconfigured AP (wps_state=1) that
 * configures itself through WPS rewrites its file as the reference does, atomically.
 */
import { readFile } from 'node:fs/promises';
import { applyApSettings, parseHostapdConf, writeFileAtomic } from '../config/index.js';
import { ApDaemon } from '../daemon/ap-daemon.js';
import { ApEapLink } from '../daemon/eap-links.js';
import { InternalErrorReport } from '../daemon/internal-errors.js';
import type { RadioAp } from '../daemon/radio-ap.js';
import { createRadioAp } from '../daemon/radio-runtime.js';
import type { SimParams } from '../drivers/sim.js';
import { macFromName, openSimRadio, parseSimParams } from '../drivers/sim.js';
import type { HostapdConf, HostapdConfig } from '../config/index.js';
import type { CommandContext } from '../ctrl/server-core.js';
import { channelFrequency, simOperatingChannel } from '../daemon/channels.js';
import type { Logger } from '../util/logger.js';
import { systemRng } from '../util/rng.js';
import { realScheduler } from '../sim/scheduler.js';
import { BROADCAST_MAC, formatMac } from '../util/mac.js';
import { EventOutlet, loadConfig, loggerFromFlags, openPort, serve } from './daemon-process.js';
import type { ProcessIo } from './process-io.js';
import { commandLine, processIo, stopSignal } from './process-io.js';
import { LogLevel } from '../util/logger.js';
import { banner } from './version.js';
import { AP_KEY_PAIRS, startUp } from './start-up.js';
import type { DhKeyPool } from '../daemon/dh-key-pool.js';
import { KeyAgreementWorkers } from '../daemon/key-agreement-workers.js';

export const AP_USAGE = `${banner('the AP/Registrar daemon, like hostapd')}

usage: onboard ap [-hdKtv] [-c] <configuration file>

options:
   -h   show this usage
   -c   configuration file, hostapd.conf syntax (interface=, driver=, ctrl_interface=, the WPS and
        Multi-AP options); options onboard does not act on are named at start
   -d   show more debug messages (-dd for even more)
   -K   include key data in debug messages
   -t   include timestamps in some debug messages
   -v   show version

drivers (driver= in the configuration file):
  wired = 802.1X authenticator on an Ethernet interface, as hostapd driver=wired (needs root)
  sim   = a radio on \`onboard medium\`: driver_params=medium=PATH[,mac=MAC][,channel=N]; every
          bss= section is one more BSS on that radio
example:
  onboard ap -c examples/gateway.medium.conf -d
`;

export async function runAp(argv: string[], io: ProcessIo = processIo): Promise<number> {
  const options = commandLine('ap', argv, 'c:dKtg:', AP_USAGE, io);
  if (typeof options === 'number') return options;
  if (options.values.has('g')) {
    // hostapd -g opens a global control socket whose ADD/REMOVE start and stop interfaces in the
    // same process; onboard runs one configuration per process, so the option is refused.
    io.stderr('onboard ap: -g (the global control interface, ADD/REMOVE of interfaces) is not implemented; run one onboard ap per configuration file\n');
    return 1;
  }
  const confPath = options.values.get('c') ?? options.operands[0];
  if (!confPath || options.operands.length > (options.values.has('c') ? 0 : 1)) {
    io.stderr(`onboard ap: ${confPath ? 'one configuration file per process' : 'a configuration file is required'}\n${AP_USAGE}`);
    return 2;
  }
  const log = loggerFromFlags(options, io);

  const parsed = loadConfig('ap', confPath, (text) => parseHostapdConf(text, { file: confPath }), io);
  if (!parsed) return 1;
  const { config, conf } = parsed;
  const bss = config.bss[0]!;
  const driver = config.radio.driver ?? 'nl80211';
  if (!bss.iface) {
    io.stderr(`${confPath}:0: interface= is required\n`);
    return 1;
  }
  if (driver !== 'wired' && driver !== 'sim') {
    io.stderr(`onboard ap: ${confPath}: driver=${driver} is not supported (supported: wired, sim)\n`);
    return 1;
  }
  let simParams: SimParams | null = null;
  if (driver === 'sim') {
    try {
      simParams = parseSimParams(config.radio.driverParams);
    } catch (error) {
      io.stderr(`onboard ap: ${confPath}: driver_params: ${(error as Error).message}\n`);
      return 1;
    }
  } else if (config.bss.length > 1) io.stderr(`${confPath}: warning: driver=wired serves the first BSS only; bss= sections are ignored\n`);
  const ifname = bss.iface;
  const keyPairs = startUp(log, io, AP_KEY_PAIRS);
  if (!keyPairs) return 1;
  const keyAgreement = new KeyAgreementWorkers();
  log.debug(keyAgreement.usable ? `WPS: key agreements of overlapping registrations in ${keyAgreement.threadCount} worker threads, started when two first overlap` : 'WPS: one CPU: every key agreement on this thread');
  if (simParams) return runSimAp({ io, log, confPath, config, conf, ifname, keyPairs, keyAgreement, params: simParams });

  const port = openPort('ap', ifname, io);
  if (!port) return 1;
  log.debug(`${ifname}: own MAC ${formatMac(port.mac)}, driver wired`);

  const setup: ApSetup = { io, log, confPath, config, conf, ifname, keyPairs, keyAgreement };
  const made = makeDaemon(setup, [port.mac]);
  const { daemon } = made;
  const link = new ApEapLink({
    ownMac: port.mac,
    registrar: () => daemon.registrar(0),
    scheduler: realScheduler,
    port,
    ...(bss.fragmentSize !== undefined ? { fragmentSize: bss.fragmentSize } : {}),
    eapolVersion: bss.eapolVersion,
    usePaeGroupAddr: bss.usePaeGroupAddr,
    onEvent: (event) => {
      // Every 802.1X event of every frame: the text is made only when it is printed.
      if (log.enabled(LogLevel.Debug)) log.debug(`IEEE 802.1X: ${formatMac(event.peer)} ${event.type}`);
      daemon.authenticatorEvent(0, event);
    },
    afterWsc: () => daemon.flushWps(0),
    onInternalError: (error, peer) => made.internalErrors.reportPeer(error, peer),
  });
  port.onFrame((frame) => {
    log.hexdump(LogLevel.MsgDump, `${ifname}: RX EAPOL`, frame);
    link.receive(frame);
  });
  // The wired driver has no station deauthentication: a flush frees the 802.1X ports.
  daemon.link = { removeStation: (_bss, mac) => link.removeStation(mac), flushStations: () => link.removeStation(BROADCAST_MAC) };
  return serveAp(setup, made, () => link.stop(), () => port.close());
}

interface ApSetup {
  io: ProcessIo;
  log: Logger;
  confPath: string;
  config: HostapdConfig;
  conf: HostapdConf;
  ifname: string;
  keyPairs: DhKeyPool;
  keyAgreement: KeyAgreementWorkers;
}

/** The AP daemon with its event outlet, TERMINATE and the self-configuration write-back. */
function makeDaemon(setup: ApSetup, bssMacs: Buffer[]) {
  const { log, confPath, config, ifname } = setup;
  const terminate = stopSignal();
  const outlet = new EventOutlet(log, config.bss.map((b) => b.iface ?? ifname));
  let writing: Promise<void> = Promise.resolve();
  const daemon = new ApDaemon({
    confPath,
    config,
    conf: setup.conf,
    bssMacs,
    scheduler: realScheduler,
    emit: outlet.emit,
    logger: log,
    keyPairs: setup.keyPairs,
    keyAgreement: setup.keyAgreement,
    readConf: () => readFile(confPath),
    onTerminate: () => terminate.resolve('TERMINATE'),
    onRegistrarEvent: (_index, event) => {
      if (event.type !== 'ap-configured') return;
      log.key('WPS: generated passphrase', event.credential.networkKey);
      writing = writing.then(async () => {
        try {
          const current = await readFile(confPath);
          await writeFileAtomic(confPath, applyApSettings(current, event.credential, { credAddSae: config.bss[0]!.wps.credAddSae, hwMode: config.radio.hwMode }));
          log.info(`${ifname}: WPS: AP configured itself; ${confPath} updated`);
        } catch (error) {
          log.error(`${ifname}: WPS: could not update ${confPath}: ${(error as Error).message}`);
        }
      });
    },
  });
  const internalErrors = new InternalErrorReport((line) => log.error(`${ifname}: ${line}`));
  return { daemon, terminate, outlet, internalErrors, written: () => writing };
}

/** driver=sim: every BSS of the file on one radio of `onboard medium` (driver_params=medium=PATH). */
async function runSimAp(setup: ApSetup & { params: SimParams }): Promise<number> {
  const { io, log, config, ifname, params, confPath } = setup;
  const channel = simOperatingChannel(config.radio, params.channel);
  if (typeof channel === 'string') {
    io.stderr(`onboard ap: ${confPath}: ${channel}\n`);
    return 1;
  }
  if (params.channel !== undefined && config.radio.channel && params.channel !== config.radio.channel) {
    io.stderr(`${confPath}: warning: driver_params channel=${params.channel} is ignored; the radio runs on channel=${config.radio.channel} of the file\n`);
  }
  const base = params.mac ?? macFromName(ifname);
  const bssids = config.bss.map((_, i) => {
    const mac = Buffer.from(base);
    mac[5] = (mac[5]! + i) & 0xff;
    return mac;
  });
  let radio: RadioAp | null = null;
  let port;
  try {
    port = await openSimRadio(ifname, { ...params, mac: base, channel }, (frame) => radio?.receive(frame), (error) => log.error(`${ifname}: medium: ${error.message}`));
  } catch (error) {
    io.stderr(`onboard ap: ${(error as Error).message}\n`);
    return 1;
  }
  const made = makeDaemon(setup, bssids);
  const { daemon } = made;
  const ap = createRadioAp({ daemon, config, port, bssids, scheduler: realScheduler, rng: systemRng, hooks: {
      note: (bss, text) => log.debug(`${config.bss[bss]?.iface ?? ifname}: ${text}`),
      internalError: (_bss, error, peer) => made.internalErrors.reportPeer(error, peer),
    },
  });
  radio = ap;
  log.debug(`${ifname}: radio ${formatMac(base)} on channel ${channel} (${channelFrequency(channel)} MHz), BSSIDs ${bssids.map(formatMac).join(', ')}`);
  return serveAp(setup, made, () => ap.stop(), () => port.detach());
}

/** Serves the control interface until the daemon is told to stop, then stops the link and saves. */
function serveAp(setup: ApSetup, made: ReturnType<typeof makeDaemon>, stopLink: () => void, closeLink: () => void): Promise<number> {
  const bss = setup.config.bss[0]!;
  made.daemon.start();
  return serve({
    name: 'ap',
    io: setup.io,
    log: setup.log,
    ifname: setup.ifname,
    confPath: setup.confPath,
    outlet: made.outlet,
    control: {
      dir: bss.ctrlInterface,
      ...(bss.ctrlInterfaceGroup !== undefined ? { group: bss.ctrlInterfaceGroup } : {}),
      maxRequestBytes: 4095,
      handle: (ctx) => made.daemon.handle(ctx),
      internalErrors: made.internalErrors,
    },
    reloadCommand: 'RELOAD',
    // SIGHUP re-reads the file (hostapd_reload_config); the RELOAD command does not.
    reload: () => made.daemon.reloadConfig(),
    extraControls: setup.config.bss.slice(1).map((b, i) => ({ ifname: b.iface ?? `${setup.ifname}_${i + 1}`, handle: (ctx: CommandContext) => made.daemon.handle(ctx, i + 1) })),
    terminate: made.terminate.promise,
    shutdown: async () => {
      made.daemon.shutdown();
      stopLink();
      made.daemon.close();
      setup.keyPairs.close();
      setup.keyAgreement.close();
      await made.written();
    },
    closeLink,
  });
}
