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
import { VirtualScheduler } from '../sim/scheduler.js';
import { parseMac } from '../util/mac.js';
import { systemRng } from '../util/rng.js';
import { Logger, LogLevel } from '../util/logger.js';

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
  addSta(name: string, mac: string, conf: string, options?: { passiveScan?: boolean; channel?: number }): WorldSta;
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
  const parsed = parseHostapdConfOrThrow(gatewayConfText, { file: 'gateway.conf' });
  const { config } = parsed;
  const selected = simOperatingChannel(config.radio, undefined);
  if (typeof selected === 'string') throw new RangeError(selected);
  const channel = selected;
  /** The gateway process: its daemon, its radio on the medium (a restart builds both again). */
  function startGateway(): { gateway: ApDaemon; radio: RadioAp; port: RadioPort } {
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
        data: (_bss, from, etherType, _payload, wds) => gatewayData.push({ from: Buffer.from(from), etherType, wds }),
      },
    });
    return { gateway, radio, port };
  }
  let running = startGateway();
  const stas: WorldSta[] = [];

  function addSta(name: string, mac: string, conf: string, staOptions: { passiveScan?: boolean; channel?: number } = {}): WorldSta {
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
        } catch {
          return '';
        }
      },
    };
    stas.push(entry);
    return entry;
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
    stopGateway: () => {
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
      for (const s of stas) s.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
