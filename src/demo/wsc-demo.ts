/**
 * `onboard demo --wired`: the radio demo's gateway, extender and phone (same names, SSIDs,
 * passphrases and MAC addresses) with the gateway's Registrar and the two Enrollees talking the
 * full wired 802.1X stack (EAPOL, EAP, EAP-WSC) over an in-process Ethernet segment. The extender's
 * backhaul STA asks (for this run only) to be onboarded as a Multi-AP backhaul STA and must get the
 * backhaul BSS credentials; the phone runs plain PBC and must get the fronthaul ones. The segment's
 * frames go to an Ethernet capture (link type 1).
 */
import type { WscFrame } from '../wsc/wsc-handler.js';
import { WscOpCode } from '../wsc/wsc-handler.js';
import { formatMac, parseMac } from '../util/mac.js';
import { VirtualScheduler } from '../sim/scheduler.js';
import { EthernetSegment } from '../sim/ethernet-segment.js';
import { parseHostapdConfOrThrow } from '../config/index.js';
import { DEMO_STA_MACS, GATEWAY_BSSIDS, GATEWAY_CONF } from './medium-world.js';
import { LinkType, pcapGlobalHeader, pcapRecord } from '../pcap/pcap.js';
import type { CaptureFile } from './capture-file.js';
import { shellWord } from './capture-file.js';
import { ApEapLink, StaEapLink } from '../daemon/eap-links.js';
import { fromHex } from '../util/bytes.js';
import type { Credential, DeviceInfo, EnrolleeOutcome, MultiApRequest, RegistrarEvent } from '../wsc/index.js';
import { AuthType, ConfigMethod, EncrType, EnrolleeRun, MessageType, Registrar, RfBand, decodeMessage } from '../wsc/index.js';

export interface DemoOptions {
  json: boolean;
  write: (line: string) => void;
  /** Where the Ethernet capture goes (opened by the caller; see capture-file.ts). */
  capture?: CaptureFile;
}

/** Capture timestamps start where the radio demo's do, so the two files line up. */
const CAPTURE_EPOCH_MS = Date.UTC(2026, 0, 1);

interface StepRecord {
  from: string;
  to: string;
  opCode: string;
  message: string;
  bytes: number;
  note?: string;
}

interface EnrolleeReport {
  name: string;
  /** The run asked to be onboarded as a backhaul STA (`multiApRequest` in the JSON output). */
  askedForBackhaul: boolean;
  steps: StepRecord[];
  outcome: EnrolleeOutcome | undefined;
  expected: { ssid: string; key: string };
  verified: boolean;
}

/** The radio demo's gateway (its hostapd.conf), so both demos tell one story with one set of names. */
function demoGateway() {
  const fronthaul = parseHostapdConfOrThrow(GATEWAY_CONF, { file: 'gateway.conf' }).config.bss[0]!;
  return {
    fronthaulSsid: fronthaul.ssid!.toString('utf8'),
    fronthaulPassphrase: fronthaul.wpaPassphrase!,
    backhaulSsid: fronthaul.multiApConfig.backhaulSsid!.toString('utf8'),
    backhaulPassphrase: fronthaul.multiApConfig.backhaulPassphrase!,
  };
}

function device(name: string, mac: string, uuid: string, configMethods: number): DeviceInfo {
  return {
    uuid: fromHex(uuid),
    macAddress: parseMac(mac),
    deviceName: name,
    manufacturer: 'onboard',
    modelName: name,
    modelNumber: '1',
    serialNumber: mac.replace(/:/g, ''),
    primaryDeviceType: fromHex('0006 0050f204 0001'),
    osVersion: 0x00000001,
    configMethods,
    rfBands: RfBand.Band24 | RfBand.Band50,
  };
}

function describeFrame(frame: WscFrame): { message: string; note?: string } {
  if (frame.data.length === 0) return { message: WscOpCode[frame.opCode] };
  const decoded = decodeMessage(frame.data);
  const message = MessageType[decoded.type ?? 0] ?? `type ${decoded.type}`;
  if (decoded.attrs.wfa.multiApExtension !== undefined) {
    return { message, note: `Multi-AP extension 0x${decoded.attrs.wfa.multiApExtension.toString(16)} (backhaul STA)` };
  }
  if (decoded.type === MessageType.WscNack) return { message, note: `config error ${decoded.attrs.configError}` };
  if (decoded.type === MessageType.M2D) return { message, note: `config error ${decoded.attrs.configError}` };
  return { message };
}

/**
 * Runs one registration over the full wired 802.1X stack (EAPOL, EAP, EAP-WSC) on an in-process
 * Ethernet segment with a virtual clock, recording each WSC message as it crosses.
 */
function registerOverEapol(
  name: string,
  gateway: Registrar,
  gatewayMac: Buffer,
  run: EnrolleeRun,
  clock: VirtualScheduler,
  record: (s: StepRecord) => void,
  tap: (frame: Buffer, time: number) => void,
): void {
  const segment = new EthernetSegment(clock, 1, tap);
  let ap: ApEapLink | null = null;
  let sta: StaEapLink | null = null;
  const apPort = segment.attach((f) => ap!.receive(f));
  const staPort = segment.attach((f) => sta!.receive(f));
  const note = (from: string, to: string, opCode: number, data: Buffer) =>
    record({ from, to, opCode: WscOpCode[opCode] ?? String(opCode), bytes: data.length, ...describeFrame({ opCode, data }) });
  ap = new ApEapLink({
    ownMac: gatewayMac,
    registrar: gateway,
    scheduler: clock,
    port: apPort,
    onEvent: (e) => {
      if (e.type === 'wsc-message' && e.direction === 'out') note('gateway', name, e.opCode, e.data);
    },
  });
  sta = new StaEapLink({
    ownMac: run.enrolleeMac,
    scheduler: clock,
    port: staPort,
    onEvent: (e) => {
      if (e.type === 'wsc-message' && e.direction === 'out') note(name, 'gateway', e.opCode, e.data);
    },
  });
  let ended = false;
  sta.startAttempt({ process: (f, now) => run.process(f, now), abort: (reason) => { ended = true; run.abort(reason); }, workAhead: () => run.workAhead() });
  clock.runWhile(() => ended, 130_000);
  ap.stop();
  sta.stopAttempt();
}

function credentialText(c: Credential): { ssid: string; key: string; auth: string; encr: string } {
  const auth = c.authType === AuthType.Wpa2Psk ? 'WPA2-PSK' : c.authType === AuthType.WpaPsk ? 'WPA-PSK' : `0x${c.authType.toString(16)}`;
  const encr = c.encrType === EncrType.Aes ? 'CCMP' : c.encrType === EncrType.Tkip ? 'TKIP' : `0x${c.encrType.toString(16)}`;
  return { ssid: c.ssid.toString('utf8'), key: c.networkKey.toString('utf8'), auth, encr };
}

function eventText(e: RegistrarEvent): string | null {
  switch (e.type) {
    case 'pbc-active': return 'WPS-PBC-ACTIVE';
    case 'pbc-disable': return 'WPS-PBC-DISABLE';
    case 'reg-success': return `WPS-REG-SUCCESS ${formatMac(e.peerMac)}`;
    case 'success': return `WPS-SUCCESS (${e.backhaul ? 'backhaul' : 'fronthaul'} credential to ${formatMac(e.peerMac)})`;
    case 'fail': return `WPS-FAIL msg=${e.message} config_error=${e.configError}`;
    case 'overlap': return 'WPS-OVERLAP-DETECTED';
    default: return null;
  }
}

export function runWscDemo(options: DemoOptions): number {
  try {
    return playWscDemo(options);
  } finally {
    options.capture?.close();
  }
}

function playWscDemo(options: DemoOptions): number {
  const out = (line: string) => {
    if (!options.json) options.write(line);
  };
  const GATEWAY = demoGateway();
  const gatewayMac = GATEWAY_BSSIDS[0]!;
  const gateway = new Registrar({
    device: device('gateway', formatMac(gatewayMac), '123456789abcdef0123456789abcdef0', ConfigMethod.Display | ConfigMethod.VirtualPushButton),
    fronthaul: { ssid: Buffer.from(GATEWAY.fronthaulSsid), authTypes: AuthType.Wpa2Psk, encrTypes: EncrType.Aes, passphrase: GATEWAY.fronthaulPassphrase },
    backhaul: { ssid: Buffer.from(GATEWAY.backhaulSsid), passphrase: GATEWAY.backhaulPassphrase },
  });
  out(`gateway   fronthaul "${GATEWAY.fronthaulSsid}", backhaul "${GATEWAY.backhaulSsid}" (Multi-AP backhaul credentials configured)`);

  const enrollees = [
    {
      name: 'extender',
      multiApRequest: { profile: 1 } as MultiApRequest | undefined,
      info: device('extender', DEMO_STA_MACS.extender, 'a0a1a2a3a4a5a6a7a8a9aaabacadaeaf', ConfigMethod.Display | ConfigMethod.VirtualPushButton),
      expected: { ssid: GATEWAY.backhaulSsid, key: GATEWAY.backhaulPassphrase },
    },
    {
      name: 'phone',
      multiApRequest: undefined,
      info: device('phone', DEMO_STA_MACS.phone, 'b0b1b2b3b4b5b6b7b8b9babbbcbdbebf', ConfigMethod.Display | ConfigMethod.VirtualPushButton),
      expected: { ssid: GATEWAY.fronthaulSsid, key: GATEWAY.fronthaulPassphrase },
    },
  ];

  const reports: EnrolleeReport[] = [];
  const clock = new VirtualScheduler();
  const frames: Buffer[] = [pcapGlobalHeader(LinkType.Ethernet)];
  let frameCount = 0;
  const tap = (frame: Buffer, time: number) => {
    frameCount++;
    frames.push(pcapRecord(BigInt(Math.round((CAPTURE_EPOCH_MS + time) * 1000)), frame));
  };
  for (const e of enrollees) {
    const askedForBackhaul = e.multiApRequest !== undefined;
    clock.runUntil(clock.now() + 1_000);
    const now = clock.now();
    out('');
    out(`== ${e.name}: push button on both sides${askedForBackhaul ? ' — WPS_PBC multi_ap=1 (this run asks for backhaul onboarding)' : ''}`);
    if (gateway.pushButton(now) !== 'ok') {
      out('gateway   push button refused (PBC overlap)');
    }
    const run = new EnrolleeRun({ device: e.info, method: { kind: 'pbc' }, ...(e.multiApRequest ? { multiApRequest: e.multiApRequest } : {}) });
    const steps: StepRecord[] = [];
    registerOverEapol(e.name, gateway, gatewayMac, run, clock, (s) => {
      steps.push(s);
      out(`  ${s.from.padStart(8)} -> ${s.to.padEnd(8)} ${s.opCode.padEnd(4)} ${s.message.padEnd(7)} ${String(s.bytes).padStart(4)} bytes${s.note ? `  ${s.note}` : ''}`);
    }, tap);
    for (const ev of gateway.takeEvents()) {
      const text = eventText(ev);
      if (text) out(`  gateway event: ${text}`);
    }
    const outcome = run.outcome;
    let verified = false;
    if (outcome?.status === 'success') {
      const cred = outcome.credentials[0]?.credential;
      const text = cred ? credentialText(cred) : undefined;
      verified = !!text && text.ssid === e.expected.ssid && text.key === e.expected.key && outcome.multiApBackhaulSta === askedForBackhaul;
      if (text) {
        out(`  ${e.name} received: ssid="${text.ssid}" key="${text.key}" ${text.auth}/${text.encr}${outcome.multiApBackhaulSta ? '  -> store with multi_ap_backhaul_sta=1' : ''}`);
      }
    } else {
      out(`  ${e.name} failed: ${outcome ? `${outcome.reason} (config error ${outcome.configError})` : 'no outcome'}`);
    }
    out(`  check: ${e.name} got the ${askedForBackhaul ? 'backhaul' : 'fronthaul'} credentials ... ${verified ? 'OK' : 'FAILED'}`);
    reports.push({ name: e.name, askedForBackhaul, steps, outcome, expected: e.expected, verified });
  }

  const ok = reports.every((r) => r.verified);
  if (options.capture) {
    options.capture.write(Buffer.concat(frames));
    out('');
    out(`pcap (Ethernet, ${frameCount} EAPOL frames): ${options.capture.path}`);
    out(`  read it: tshark -r ${shellWord(options.capture.path)} -V -Y eapol, or open it in Wireshark`);
  }
  if (options.json) {
    options.write(JSON.stringify({
      ok,
      ...(options.capture ? { pcap: options.capture.path } : {}),
      enrollees: reports.map((r) => ({
        name: r.name,
        multiApRequest: r.askedForBackhaul,
        verified: r.verified,
        steps: r.steps,
        credentials: r.outcome?.status === 'success' ? r.outcome.credentials.map((c) => ({ ...credentialText(c.credential), mac: formatMac(c.credential.macAddress) })) : [],
        multiApBackhaulSta: r.outcome?.status === 'success' ? r.outcome.multiApBackhaulSta : false,
        failure: r.outcome?.status === 'failure' ? r.outcome : undefined,
      })),
    }, null, 2));
  } else {
    out('');
    out(ok ? 'demo: every step verified' : 'demo: FAILED — see the checks above');
  }
  return ok ? 0 : 1;
}
