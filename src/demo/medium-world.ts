/**
 * A home network on the simulated medium, in-process with virtual time: a gateway (ApDaemon on a
 * RadioAp with a fronthaul BSS running WPS and a backhaul BSS) and any number of STAs (StaDaemon on
 * a RadioSta). The demo and the tests build their scenes from it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHostapdConfOrThrow, parseWpaSupplicantConfOrThrow } from '../config/index.js';
import type { CommandContext } from '../ctrl/server-core.js';
import { ApDaemon } from '../daemon/ap-daemon.js';
import type { RadioAp } from '../daemon/radio-ap.js';
import { createRadioAp } from '../daemon/radio-runtime.js';
import { simOperatingChannel } from '../daemon/channels.js';
import { RadioSta } from '../daemon/radio-sta.js';
import { StaDaemon } from '../daemon/sta-daemon.js';
import type { CapturedFrame, FaultConfig, RadioPort } from '../sim/medium.js';
import { Medium } from '../sim/medium.js';
import type { EthernetFrame } from '../eap/ethernet.js';
import { Bridge } from '../sim/bridge.js';
import { IEEE1905_ETHERTYPE } from '../ieee1905/cmdu.js';
import type { RadioApHooks } from '../daemon/radio-ap.js';
import type { ConfiguredBss } from './extender-ap.js';
import { extenderApConf } from './extender-ap.js';
import { VirtualScheduler } from '../sim/scheduler.js';
import { parseMac } from '../util/mac.js';
import { systemRng } from '../util/rng.js';
import { Logger, LogLevel } from '../util/logger.js';
import { expectErrnoError } from '../util/errors.js';

export const GATEWAY_CONF = `# the gateway: fronthaul BSS with WPS and the backhaul credentials to hand out, backhaul BSS
interface=wlan0
driver=sim
channel=6
ssid=home
wpa=2
wpa_key_mgmt=WPA-PSK
wpa_passphrase=fronthaul-secret
rsn_pairwise=CCMP
eap_server=1
wps_state=2
multi_ap=2
multi_ap_backhaul_ssid="home-backhaul"
multi_ap_backhaul_wpa_passphrase=backhaul-secret-42
config_methods=virtual_push_button keypad display
device_name=gateway
manufacturer=onboard
model_name=gateway
uuid=12345678-9abc-def0-1234-56789abcdef0
bss=wlan0_1
ssid=home-backhaul
wpa=2
wpa_key_mgmt=WPA-PSK
wpa_passphrase=backhaul-secret-42
rsn_pairwise=CCMP
multi_ap=1
`;

export const GATEWAY_BSSIDS = [parseMac('02:00:00:00:0a:01'), parseMac('02:00:00:00:0a:02')];

/** The gateway's 1905 AL MAC address (its Multi-AP Controller): the host address on its bridge. */
export const GATEWAY_AL_MAC = parseMac('02:00:00:00:0a:00');

/** The demo's extenders: backhaul STA, AP radio BSSIDs (fronthaul, backhaul), 1905 AL MAC. */
export const DEMO_EXTENDERS = {
  extender: { staMac: '02:00:00:00:01:00', bssids: [parseMac('02:00:00:00:1a:01'), parseMac('02:00:00:00:1a:02')], alMac: parseMac('02:00:00:00:01:ff') },
  extender2: { staMac: '02:00:00:00:04:00', bssids: [parseMac('02:00:00:00:4a:01'), parseMac('02:00:00:00:4a:02')], alMac: parseMac('02:00:00:00:04:ff') },
} as const;

/** The demo's STAs (the radio and the wired demo use the same ones). */
export const DEMO_STA_MACS = { extender: '02:00:00:00:01:00', phone: '02:00:00:00:02:00', legacy: '02:00:00:00:03:00' } as const;

export function staConf(name: string, extra = ''): string {
  return `update_config=1\ndevice_name=${name}\nmanufacturer=onboard\nmodel_name=${name}\nconfig_methods=virtual_push_button display\n${extra}`;
}

const command = (raw: string): CommandContext => {
  const [c = '', ...args] = raw.split(' ');
  return { client: '', command: c.toUpperCase(), args, raw };
};

export interface WorldSta {
  name: string;
  mac: Buffer;
  events: string[];
  notes: string[];
  radio: RadioSta;
  daemon: StaDaemon;
  confPath: string;
  command(raw: string): Promise<string>;
  savedConf(): string;
  /** The daemon stops (as on SIGTERM) and its radio leaves the medium. */
  stop(): void;
}

export interface World {
  clock: VirtualScheduler;
  medium: Medium;
  gateway: ApDaemon;
  radio: RadioAp;
  gatewayEvents: string[];
  /** The same events with the BSS whose control socket they go to (0 wlan0, 1 wlan0_1). */
  gatewayBssEvents: { bss: number; text: string }[];
  gatewayNotes: string[];
  /** Data frames the gateway received from connected stations (`wds`: four-address). */
  gatewayData: { from: Buffer; etherType: number; wds: boolean }[];
  frames: CapturedFrame[];
  /** A command on the control socket of BSS `bss` (0 wlan0, 1 wlan0_1: hostapd has one per BSS). */
  gatewayCommand(raw: string, bss?: number): Promise<string>;
  addSta(name: string, mac: string, conf: string, options?: StaOptions): WorldSta;
  /** The gateway's bridge: its 1905 AL above, a port per four-address station of its BSSs. */
  gatewayBridge: Bridge;
  /** 1905 frames (ethertype 0x893A) for the gateway's AL, with the bridge port they came in on. */
  onGatewayCmdu: ((port: string, frame: EthernetFrame) => void) | null;
  /** An extender: a backhaul STA radio, an AP radio its Agent brings BSSs up on, a bridge between them. */
  addExtender(name: string, options: ExtenderOptions): WorldExtender;
  /** The gateway daemon terminates as on SIGTERM (stations deauthenticated, off the medium)... */
  stopGateway(): void;
  /** Replaces the gateway's configuration file (what SIGHUP re-reads, and a restart starts from). */
  writeGatewayConf(text: string): void;
  /** ...and starts again from its configuration, with the same BSSIDs. */
  startGateway(): void;
  /** Runs virtual time until `done` or the limit; then lets frames in flight land. */
  runUntil(done: () => boolean, limitMs: number): boolean;
  close(): void;
}

export interface StaOptions {
  passiveScan?: boolean;
  channel?: number;
  /** Data frames (other than EAPOL) the STA receives while connected, as Ethernet frames. */
  data?: (frame: EthernetFrame) => void;
}

export interface ExtenderOptions {
  /** The backhaul STA's radio MAC. */
  staMac: string;
  /** The BSSIDs of the AP radio, in the order of its BSSs (the first is the radio's MAC). */
  bssids: readonly Buffer[];
  /** The 1905 AL MAC address, the host address on the extender's bridge. */
  alMac: Buffer;
  /** The extender's wpa_supplicant.conf. */
  conf: string;
  /** Radios (by MAC) the extender's two radios do not reach, and which do not reach them. */
  outOfReachOf?: Buffer[];
}

/** What an extender's AP is running: its daemon, radio and configuration. */
export interface WorldExtenderAp {
  daemon: ApDaemon;
  radio: RadioAp;
  conf: string;
  events: { bss: number; text: string }[];
  notes: string[];
}

export interface WorldExtender {
  name: string;
  alMac: Buffer;
  bssids: readonly Buffer[];
  /** The backhaul STA (wpa_supplicant on the extender's STA radio). */
  sta: WorldSta;
  bridge: Bridge;
  /** The AP, once the Agent brought BSSs up. */
  ap: WorldExtenderAp | null;
  /** 1905 frames for the extender's AL, with the bridge port they came in on. */
  onCmdu: ((port: string, frame: EthernetFrame) => void) | null;
  /**
   * The Agent's BSS list goes to the AP: the first time the AP starts with it; then it is
   * written to the AP's file and applied as SIGHUP does (hostapd_reload_config: stations
   * deauthenticated, the new settings on the air), or, when the BSSs themselves change, the AP
   * starts again with it (hostapd sets the interface up anew). Only tear-down: the AP stops.
   */
  configure(bsses: readonly ConfiguredBss[]): 'started' | 'reloaded' | 'restarted' | 'stopped' | 'failed';
}

export interface WorldOptions {
  faults?: Partial<FaultConfig>;
  seed?: number;
  capture?: (frame: CapturedFrame) => void;
  gatewayConf?: string;
  /** Keep every frame in `frames` (default). Off for floods, where the list would dwarf what is measured. */
  recordFrames?: boolean;
}

export function createWorld(options: WorldOptions = {}): World {
  const clock = new VirtualScheduler();
  const frames: CapturedFrame[] = [];
  const medium = new Medium(clock, {
    ...(options.faults ? { faults: options.faults } : {}),
    seed: options.seed ?? 1,
    capture: (frame) => {
      if (options.recordFrames !== false) frames.push(frame);
      options.capture?.(frame);
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'onboard-world-'));
  const gatewayEvents: string[] = [];
  const gatewayBssEvents: World['gatewayBssEvents'] = [];
  const gatewayNotes: string[] = [];
  const gatewayData: World['gatewayData'] = [];
  let gatewayConfText = options.gatewayConf ?? GATEWAY_CONF;
  let onGatewayCmdu: World['onGatewayCmdu'] = null;
  const gatewayBridge = new Bridge({
    hostAddresses: [GATEWAY_AL_MAC],
    toHost: (port, frame) => {
      if (frame.etherType === IEEE1905_ETHERTYPE) onGatewayCmdu?.(port, frame);
    },
  });
  const parsed = parseHostapdConfOrThrow(gatewayConfText, { file: 'gateway.conf' });
  const { config } = parsed;
  const selected = simOperatingChannel(config.radio, undefined);
  if (typeof selected === 'string') throw new RangeError(selected);
  const channel = selected;
  /** The gateway process: its daemon, its radio on the medium (a restart builds both again). */
  function startGateway(): { gateway: ApDaemon; radio: RadioAp; port: RadioPort; bridged: ReturnType<typeof bridgeStations> } {
    const gateway = new ApDaemon({
      confPath: 'gateway.conf',
      config,
      conf: parsed.conf,
      bssMacs: GATEWAY_BSSIDS,
      scheduler: clock,
      readConf: () => Promise.resolve(Buffer.from(gatewayConfText)),
      emit: (text, _level, bss = 0) => {
        gatewayEvents.push(text);
        gatewayBssEvents.push({ bss, text });
      },
    });
    let radio: RadioAp | null = null;
    const port = medium.attach({ mac: GATEWAY_BSSIDS[0]!, channel, name: 'gateway' }, (frame) => radio?.receive(frame));
    radio = createRadioAp({
      daemon: gateway,
      config,
      port,
      bssids: GATEWAY_BSSIDS,
      scheduler: clock,
      rng: systemRng,
      hooks: {
        note: (bss, text) => gatewayNotes.push(`${config.bss[bss]?.ssid?.toString() ?? bss}: ${text}`),
        data: (bss, d) => {
          gatewayData.push({ from: Buffer.from(d.sa), etherType: d.etherType, wds: d.wds });
          bridged.data(bss, d);
        },
        wdsInterface: (bss, change, ifname, mac) => bridged.wdsInterface(bss, change, ifname, mac),
      },
    });
    const bridged = bridgeStations(gatewayBridge, () => radio, GATEWAY_BSSIDS);
    return { gateway, radio, port, bridged };
  }
  let running = startGateway();
  const stas: WorldSta[] = [];

  function addSta(name: string, mac: string, conf: string, staOptions: StaOptions = {}): WorldSta {
    const events: string[] = [];
    const notes: string[] = [];
    const confPath = join(dir, `${name}.conf`);
    let sta: RadioSta | null = null;
    let daemon: StaDaemon | null = null;
    const staPort = medium.attach({ mac: parseMac(mac), channel: staOptions.channel ?? channel, name }, (frame) => sta?.receive(frame));
    sta = new RadioSta({
      port: staPort,
      scheduler: clock,
      device: () => daemon!.deviceInfo,
      rng: systemRng,
      emit: (t) => events.push(t),
      cancelWps: () => void daemon!.handle(command('WPS_CANCEL')),
      note: (t) => notes.push(t),
      ...(staOptions.passiveScan ? { passiveScan: true } : {}),
      ...(staOptions.data ? { data: (d: { sa: Buffer; da: Buffer; etherType: number; payload: Buffer }) => staOptions.data!({ dst: d.da, src: d.sa, etherType: d.etherType, payload: d.payload }) } : {}),
    });
    daemon = new StaDaemon({
      ifname: name,
      confPath,
      conf: parseWpaSupplicantConfOrThrow(conf, { file: confPath }).config,
      macAddress: parseMac(mac),
      scheduler: clock,
      link: sta,
      emit: (t) => events.push(t),
      logger: new Logger({ level: LogLevel.Debug, showKeys: false, sink: (line) => notes.push(line) }),
      readConf: () => readFile(confPath),
    });
    // As wpa_supplicant at start: scan and connect with the enabled networks of the file.
    daemon.start();
    const entry: WorldSta = {
      name,
      mac: parseMac(mac),
      events,
      notes,
      radio: sta,
      daemon,
      confPath,
      command: (raw) => daemon.handle(command(raw)),
      stop: () => {
        sta.stop();
        staPort.detach();
      },
      savedConf: () => {
        try {
          return readFileSync(confPath, 'utf8');
        } catch (error) {
          expectErrnoError(error);
          return '';
        }
      },
    };
    stas.push(entry);
    return entry;
  }

  const extenders: { stopAp: () => void }[] = [];

  function addExtender(name: string, extenderOptions: ExtenderOptions): WorldExtender {
    let onCmdu: WorldExtender['onCmdu'] = null;
    const bridge = new Bridge({
      hostAddresses: [extenderOptions.alMac],
      toHost: (port, frame) => {
        if (frame.etherType === IEEE1905_ETHERTYPE) onCmdu?.(port, frame);
      },
    });
    const staIfname = name;
    const sta = addSta(name, extenderOptions.staMac, extenderOptions.conf, { data: (frame) => bridge.receive(staIfname, frame) });
    // The backhaul STA's interface is in the bridge for good; it carries frames while connected
    // in four-address mode (sendEthernet refuses anything else).
    bridge.addPort(staIfname, parseMac(extenderOptions.staMac), (frame) => sta.radio.sendEthernet(frame.dst, frame.src, frame.etherType, frame.payload));
    const apPortMac = extenderOptions.bssids[0]!;
    // The extender's own AP is no uplink for its backhaul STA. Left to itself wpa_supplicant would
    // take it: after a disconnection the uplink BSS is on the BSSID ignore list
    // (wpas_connection_failed), and the own backhaul BSS, same SSID, is the other BSS of the ESS.
    medium.setReach(parseMac(extenderOptions.staMac), apPortMac, false);
    for (const other of extenderOptions.outOfReachOf ?? []) {
      medium.setReach(parseMac(extenderOptions.staMac), other, false);
      medium.setReach(apPortMac, other, false);
    }
    let ap: (WorldExtenderAp & { port: RadioPort; bridged: ReturnType<typeof bridgeStations> }) | null = null;
    const uuid = (() => {
      const hex = extenderOptions.alMac.toString('hex').padStart(32, '0');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    })();
    const stopAp = () => {
      if (!ap) return;
      ap.bridged.clear();
      ap.daemon.shutdown();
      ap.radio.stop();
      ap.daemon.close();
      ap.port.detach();
      ap = null;
    };
    const startAp = (conf: string) => {
      const parsed = parseHostapdConfOrThrow(conf, { file: `${name}-ap.conf` });
      const events: WorldExtenderAp['events'] = [];
      const notes: string[] = [];
      let text = conf;
      const daemon = new ApDaemon({
        confPath: `${name}-ap.conf`,
        config: parsed.config,
        conf: parsed.conf,
        bssMacs: [...extenderOptions.bssids],
        scheduler: clock,
        readConf: () => Promise.resolve(Buffer.from(text)),
        emit: (t, _level, bss = 0) => events.push({ bss, text: t }),
      });
      let radio: RadioAp | null = null;
      const port = medium.attach({ mac: apPortMac, channel, name: `${name}-ap` }, (frame) => radio?.receive(frame));
      const created = createRadioAp({
        daemon,
        config: parsed.config,
        port,
        bssids: [...extenderOptions.bssids],
        scheduler: clock,
        rng: systemRng,
        hooks: {
          note: (bss, t) => notes.push(`${parsed.config.bss[bss]?.ssid?.toString() ?? bss}: ${t}`),
          data: (bss, d) => bridged.data(bss, d),
          wdsInterface: (bss, change, ifname, mac) => bridged.wdsInterface(bss, change, ifname, mac),
        },
      });
      radio = created;
      const bridged = bridgeStations(bridge, () => created, extenderOptions.bssids);
      daemon.start();
      const started = {
        daemon,
        radio: created,
        events,
        notes,
        port,
        bridged,
        get conf() {
          return text;
        },
        set conf(next: string) {
          text = next;
        },
      };
      ap = started;
    };
    const extender: WorldExtender = {
      name,
      alMac: extenderOptions.alMac,
      bssids: extenderOptions.bssids,
      sta,
      bridge,
      get ap() {
        return ap;
      },
      get onCmdu() {
        return onCmdu;
      },
      set onCmdu(handler) {
        onCmdu = handler;
      },
      configure: (bsses) => {
        const conf = extenderApConf(bsses, { ifname: 'wlan0', channel, deviceName: name, uuid });
        if (conf === null) {
          const had = ap !== null;
          stopAp();
          return had ? 'stopped' : 'failed';
        }
        if (!ap) {
          startAp(conf);
          return 'started';
        }
        const before = ap.daemon.ifnames.join(' ');
        const next = parseHostapdConfOrThrow(conf, { file: `${name}-ap.conf` }).config.bss.map((b) => b.iface ?? '').join(' ');
        if (before !== next) {
          stopAp();
          startAp(conf);
          return 'restarted';
        }
        ap.conf = conf;
        return ap.daemon.reloadFrom(Buffer.from(conf)) ? 'reloaded' : 'failed';
      },
    };
    extenders.push({ stopAp });
    return extender;
  }

  return {
    clock,
    medium,
    get gateway() {
      return running.gateway;
    },
    get radio() {
      return running.radio;
    },
    gatewayEvents,
    gatewayBssEvents,
    gatewayNotes,
    gatewayData,
    frames,
    gatewayCommand: (raw, bss = 0) => running.gateway.handle(command(raw), bss),
    writeGatewayConf: (text) => {
      gatewayConfText = text;
    },
    gatewayBridge,
    get onGatewayCmdu() {
      return onGatewayCmdu;
    },
    set onGatewayCmdu(handler) {
      onGatewayCmdu = handler;
    },
    addExtender,
    stopGateway: () => {
      running.bridged.clear();
      running.gateway.shutdown();
      running.radio.stop();
      running.gateway.close();
      running.port.detach();
    },
    startGateway: () => {
      running = startGateway();
    },
    addSta,
    runUntil: (done, limitMs) => {
      const ok = clock.runWhile(done, limitMs);
      clock.runUntil(clock.now() + 20);
      return ok;
    },
    close: () => {
      running.radio.stop();
      for (const e of extenders) e.stopAp();
      for (const s of stas) s.stop();
      // A configuration save may still be writing its temporary file there (update_config=1 writes
      // asynchronously): the removal retries until that file is gone, and the save then fails quietly.
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 10 });
    },
  };
}

/**
 * An AP radio's four-address stations as bridge ports: each WDS interface (`wlan0_1.sta1`, as
 * the nl80211 driver names them) joins the bridge when it is added and leaves when it is removed;
 * what a four-address station sends goes into the bridge on its port.
 */
function bridgeStations(bridge: Bridge, radio: () => RadioAp, bssids: readonly Buffer[]) {
  const ports = new Map<string, string>();
  const key = (bss: number, mac: Buffer) => `${bss}/${mac.toString('hex')}`;
  return {
    wdsInterface: ((bss, change, ifname, mac) => {
      if (change === 'added') {
        ports.set(key(bss, mac), ifname);
        const station = Buffer.from(mac);
        bridge.addPort(ifname, bssids[bss] ?? bssids[0]!, (frame) => radio().sendToStation(bss, station, frame.dst, frame.src, frame.etherType, frame.payload));
      } else {
        ports.delete(key(bss, mac));
        bridge.removePort(ifname);
      }
    }) satisfies NonNullable<RadioApHooks['wdsInterface']>,
    data: ((bss, d) => {
      const port = d.wds ? ports.get(key(bss, d.station)) : undefined;
      if (port !== undefined) bridge.receive(port, { dst: d.da, src: d.sa, etherType: d.etherType, payload: d.payload });
    }) satisfies NonNullable<RadioApHooks['data']>,
    clear: () => {
      for (const port of ports.values()) bridge.removePort(port);
      ports.clear();
    },
  };
}
