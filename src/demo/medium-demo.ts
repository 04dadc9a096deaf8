/**
 * `onboard demo`: the whole Multi-AP onboarding story on the simulated 802.11 medium, in-process,
 * no root, no configuration. A gateway (fronthaul BSS "home" with WPS, backhaul BSS
 * "home-backhaul"), an extender's backhaul STA pushing WPS with multi_ap=1, a phone pushing plain
 * WPS, and a legacy STA that knows the backhaul passphrase but is no Multi-AP STA. Prints progress,
 * the sequence of frames, the network blocks the STAs saved, the association outcomes and the pcap
 * path; exits 0 only when every check held.
 */
import { decodeFrame, parseMultiApElement } from '../ieee80211/index.js';
import { MemoryCapture } from '../sim/capture.js';
import type { CapturedFrame } from '../sim/medium.js';
import { formatMac } from '../util/mac.js';
import type { CaptureFile } from './capture-file.js';
import { shellWord } from './capture-file.js';
import { frameText } from './frame-text.js';
import type { World, WorldSta } from './medium-world.js';
import { DEMO_STA_MACS, GATEWAY_BSSIDS, createWorld, staConf } from './medium-world.js';
import { expectDecodeError } from '../util/errors.js';

export interface MediumDemoOptions {
  json: boolean;
  /** Where the capture goes (opened by the caller; see capture-file.ts). */
  capture?: CaptureFile;
  write: (line: string) => void;
  /** Replaces the gateway's hostapd.conf (tests use it to make a step fail). */
  gatewayConf?: string;
}

/** The Wireshark display filter that leaves the Beacons out (type/subtype 0x0008). */
export const HIDE_BEACONS = '!(wlan.fc.type_subtype == 0x0008)';

interface Check {
  what: string;
  ok: boolean;
}

function names(world: World, stas: WorldSta[]): Map<string, string> {
  const map = new Map<string, string>([
    [formatMac(GATEWAY_BSSIDS[0]!), 'gateway/home'],
    [formatMac(GATEWAY_BSSIDS[1]!), 'gateway/backhaul'],
    ['ff:ff:ff:ff:ff:ff', '*'],
  ]);
  for (const s of stas) map.set(formatMac(s.mac), s.name);
  void world;
  return map;
}

function networkBlocks(text: string): string[] {
  return [...text.matchAll(/network=\{\n[\s\S]*?\n\}/g)].map((m) => m[0]);
}

export async function runMediumDemo(options: MediumDemoOptions): Promise<number> {
  const out = (line = '') => {
    if (!options.json) options.write(line);
  };
  const air = new MemoryCapture();
  const world = createWorld({ capture: (frame) => air.write(frame), ...(options.gatewayConf !== undefined ? { gatewayConf: options.gatewayConf } : {}) });
  const checks: Check[] = [];
  const check = (what: string, ok: boolean) => {
    checks.push({ what, ok });
    out(`  check: ${what} ... ${ok ? 'OK' : 'FAILED'}`);
  };
  const at = () => `[${(world.clock.now() / 1000).toFixed(3).padStart(7)} s]`;
  const connectedTo = (s: WorldSta) => s.events.find((e) => e.startsWith('CTRL-EVENT-CONNECTED'));
  // Progress while the medium runs: each event is printed when the virtual clock reaches it.
  const shown = new Map<WorldSta, number>();
  const follow = (s: WorldSta, done: () => boolean) => () => {
    for (const e of s.events.slice(shown.get(s) ?? 0)) out(`${at()} ${s.name}: ${e.trim()}`);
    shown.set(s, s.events.length);
    return done();
  };
  /** The (Re)Association exchange of `sta` with `bssid`: the Multi-AP element each side sent. */
  const multiApAssociation = (sta: WorldSta, bssid: Buffer) => {
    let request: number | undefined;
    let response: number | undefined;
    for (const f of world.frames) {
      const frame = safeDecode(f);
      if (!frame || (frame.kind !== 'association-request' && frame.kind !== 'reassociation-request' && frame.kind !== 'association-response' && frame.kind !== 'reassociation-response')) continue;
      const fromSta = frame.header.addr2.equals(sta.mac) && frame.header.addr1.equals(bssid);
      const toSta = frame.header.addr1.equals(sta.mac) && frame.header.addr2.equals(bssid);
      const element = parseMultiApElement(frame.elements);
      const value = element.kind === 'present' ? element.element.extension : undefined;
      if (fromSta && frame.kind.endsWith('request')) request = value;
      if (toSta && frame.kind.endsWith('response') && 'status' in frame && frame.status === 0) response = value;
    }
    return { request, response };
  };
  try {
    out('gateway: fronthaul BSS "home" (WPS, multi_ap=2, hands out the backhaul credentials), backhaul BSS "home-backhaul" (multi_ap=1)');
    const extender = world.addSta('extender', DEMO_STA_MACS.extender, staConf('extender'));
    const phone = world.addSta('phone', DEMO_STA_MACS.phone, staConf('phone'));
    const legacy = world.addSta('legacy', DEMO_STA_MACS.legacy, staConf('legacy', 'network={\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n\tdisabled=1\n}\n'));
    world.clock.runUntil(500);

    out();
    out(`${at()} gateway: WPS_PBC; extender: WPS_PBC multi_ap=1 (this run asks to be onboarded as a backhaul STA)`);
    await world.gatewayCommand('WPS_PBC');
    await extender.command('WPS_PBC multi_ap=1');
    world.runUntil(follow(extender, () => connectedTo(extender) !== undefined), 60_000);
    await extender.daemon.settled();
    follow(extender, () => true)();
    const extStation = world.radio.station(1, extender.mac);
    check('extender received the backhaul credentials and saved them with multi_ap_backhaul_sta=1', /ssid="home-backhaul"[\s\S]*multi_ap_backhaul_sta=1/.test(extender.savedConf()));
    const backhaulAssociation = multiApAssociation(extender, GATEWAY_BSSIDS[1]!);
    check(
      'extender associated to the backhaul BSS with the Multi-AP element (request: backhaul STA 0x80, response: backhaul BSS 0x40)',
      (connectedTo(extender) ?? '').includes(formatMac(GATEWAY_BSSIDS[1]!)) && backhaulAssociation.request === 0x80 && backhaulAssociation.response === 0x40,
    );
    check('four-address mode on both ends', extender.radio.fourAddress && extStation?.fourAddress === true);
    check('four-way handshake: the same TK on both ends', !!extender.radio.tk && !!extStation?.tk && extender.radio.tk.equals(extStation.tk));
    // 0x88B5: IEEE 802 local experimental ethertype, for a test payload from a client behind the extender.
    extender.radio.sendData(0x88b5, Buffer.from('onboard four-address test'), GATEWAY_BSSIDS[1], Buffer.from('020000007777', 'hex'));
    world.clock.runUntil(world.clock.now() + 10);
    check('a four-address data frame from behind the extender reached the gateway', world.gatewayData.some((d) => d.wds && d.from.toString('hex') === '020000007777'));

    world.clock.runUntil(world.clock.now() + 6_000);
    out();
    out(`${at()} gateway: WPS_PBC; phone: WPS_PBC`);
    await world.gatewayCommand('WPS_PBC');
    await phone.command('WPS_PBC');
    world.runUntil(follow(phone, () => connectedTo(phone) !== undefined), 60_000);
    await phone.daemon.settled();
    follow(phone, () => true)();
    check('phone received the fronthaul credentials (no Multi-AP request, no backhaul)', /ssid="home"/.test(phone.savedConf()) && !/multi_ap_backhaul_sta/.test(phone.savedConf()));
    check('phone connected to the fronthaul BSS without four-address mode', (connectedTo(phone) ?? '').includes(formatMac(GATEWAY_BSSIDS[0]!)) && !phone.radio.fourAddress);

    out();
    out(`${at()} legacy: SELECT_NETWORK 0 (home-backhaul, right passphrase, not a Multi-AP STA)`);
    await legacy.command('SELECT_NETWORK 0');
    world.runUntil(follow(legacy, () => legacy.events.some((e) => e.startsWith('CTRL-EVENT-ASSOC-REJECT'))), 5_000);
    follow(legacy, () => true)();
    check('legacy STA refused by the backhaul BSS (status 12)', legacy.events.includes(`CTRL-EVENT-ASSOC-REJECT bssid=${formatMac(GATEWAY_BSSIDS[1]!)} status_code=12`));

    out();
    out('gateway events:');
    for (const e of world.gatewayEvents) out(`  ${e.trim()}`);

    const who = names(world, [extender, phone, legacy]);
    const sequence = world.frames
      .map((f) => ({ f, frame: safeDecode(f) }))
      .filter((x) => x.frame !== null && x.frame.kind !== 'beacon')
      .map(({ f, frame }) => ({
        time: f.time,
        from: who.get(formatMac(frame!.header.addr2)) ?? formatMac(frame!.header.addr2),
        to: who.get(formatMac(frame!.header.addr1)) ?? formatMac(frame!.header.addr1),
        what: frameText(frame!),
      }));
    const beacons = world.frames.length - sequence.length;
    out();
    out(`sequence of frames (${sequence.length} shown, ${beacons} Beacons left out):`);
    const width = Math.max(...sequence.map((s) => s.from.length));
    for (const s of sequence) out(`  ${(s.time / 1000).toFixed(3).padStart(7)} s  ${s.from.padStart(width)} ──▶ ${s.to.padEnd(16)} ${s.what}`);

    out();
    out('network blocks the STAs saved:');
    for (const s of [extender, phone]) {
      out(`  ${s.name} (${s.confPath.split('/').pop()}):`);
      for (const block of networkBlocks(s.savedConf())) for (const line of block.split('\n')) out(`    ${line}`);
    }

    out();
    out('association outcomes:');
    out(`  extender  -> gateway/backhaul: ${connectedTo(extender) ? 'connected, four-address mode, keys agreed' : 'not connected'}`);
    out(`  phone     -> gateway/home:     ${connectedTo(phone) ? 'connected' : 'not connected'}`);
    out(`  legacy    -> gateway/backhaul: ${legacy.events.some((e) => e.includes('status_code=12')) ? 'refused (status 12: not a Multi-AP backhaul STA)' : 'not refused'}`);

    if (options.capture) {
      options.capture.write(air.toPcap());
      out();
      out(`pcap (radiotap + 802.11, ${world.frames.length} frames, ${beacons} of them Beacons): ${options.capture.path}`);
      out(`  without the Beacons: tshark -r ${shellWord(options.capture.path)} -Y '${HIDE_BEACONS}'`);
      out(`  in Wireshark: open the file and type ${HIDE_BEACONS} in the display filter bar`);
    }
    const ok = checks.every((c) => c.ok);
    if (options.json) {
      options.write(
        JSON.stringify({
          ok,
          checks,
          frames: sequence,
          beacons,
          gatewayEvents: world.gatewayEvents,
          stations: Object.fromEntries([extender, phone, legacy].map((s) => [s.name, { events: s.events, savedNetworks: networkBlocks(s.savedConf()) }])),
          ...(options.capture ? { pcap: options.capture.path, hideBeacons: HIDE_BEACONS } : {}),
        }),
      );
    } else {
      out();
      out(ok ? 'demo: every step verified' : `demo: ${checks.filter((c) => !c.ok).length} check(s) FAILED`);
    }
    return ok ? 0 : 1;
  } finally {
    options.capture?.close();
    world.close();
  }
}

function safeDecode(f: CapturedFrame) {
  try {
    return decodeFrame(f.frame);
  } catch (error) {
    expectDecodeError(error);
    return null;
  }
}
