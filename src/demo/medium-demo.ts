/**
 * `onboard demo`: the whole Multi-AP onboarding story on the simulated 802.11 medium, in-process,
 * no root, no configuration. A gateway (fronthaul BSS "home" with WPS, backhaul BSS
 * "home-backhaul", and the Multi-AP Controller), an extender's backhaul STA pushing WPS with
 * multi_ap=1, a phone pushing plain WPS, and a legacy STA that knows the backhaul passphrase but is
 * no Multi-AP STA. Then EasyMesh: the extender's Agent gets its BSSs from the Controller over the
 * four-address backhaul (IEEE 1905.1 AP-Autoconfiguration) and its AP brings them up; the phone
 * joins the extender with WPS; a second extender, out of the gateway's reach, onboards through the
 * first and is configured over two hops; a new fronthaul passphrase reaches every extender BSS by
 * Renew, and the phone gets it with WPS again. Prints progress, the sequence of frames, the network
 * blocks the STAs saved, the association outcomes and the pcap path; exits 0 only when every check
 * held.
 */
import { decodeFrame, parseMultiApElement } from '../ieee80211/index.js';
import { MemoryCapture } from '../sim/capture.js';
import type { CapturedFrame } from '../sim/medium.js';
import { formatMac, parseMac } from '../util/mac.js';
import type { CaptureFile } from './capture-file.js';
import { shellWord } from './capture-file.js';
import { frameText } from './frame-text.js';
import type { World, WorldExtender, WorldSta } from './medium-world.js';
import { DEMO_EXTENDERS, DEMO_STA_MACS, GATEWAY_AL_MAC, GATEWAY_BSSIDS, createWorld, staConf } from './medium-world.js';
import { expectDecodeError } from '../util/errors.js';
import { parseBssInfo, bssConfigsFrom } from '../config/bss-info.js';
import { IEEE1905_ETHERTYPE, decodeCmduFrame, isRelayed, MessageType as CmduType } from '../ieee1905/cmdu.js';
import { TlvType } from '../ieee1905/tlvs.js';
import { decodeMessage, MessageType as WscType } from '../wsc/index.js';
import { systemRng } from '../util/rng.js';
import type { AgentRole } from './mesh-roles.js';
import { extenderAgent, gatewayController } from './mesh-roles.js';
import { FcFlag } from '../ieee80211/index.js';

export interface MediumDemoOptions {
  json: boolean;
  /** Where the capture goes (opened by the caller; see capture-file.ts). */
  capture?: CaptureFile;
  write: (line: string) => void;
  /** Replaces the gateway's hostapd.conf (tests use it to make a step fail). */
  gatewayConf?: string;
  /** Replaces the Controller's bss_info lines for a fronthaul passphrase (tests use it to make a step fail). */
  controllerBssInfo?: (fronthaulPassphrase: string) => string;
}

/** The Wireshark display filter that leaves the Beacons out (type/subtype 0x0008). */
export const HIDE_BEACONS = '!(wlan.fc.type_subtype == 0x0008)';

interface Check {
  what: string;
  ok: boolean;
}

function names(stas: WorldSta[], extenders: WorldExtender[]): Map<string, string> {
  const map = new Map<string, string>([
    [formatMac(GATEWAY_BSSIDS[0]!), 'gateway/home'],
    [formatMac(GATEWAY_BSSIDS[1]!), 'gateway/backhaul'],
    ['ff:ff:ff:ff:ff:ff', '*'],
  ]);
  for (const s of stas) map.set(formatMac(s.mac), s.name);
  for (const e of extenders) {
    map.set(formatMac(e.bssids[0]!), `${e.name}/home`);
    map.set(formatMac(e.bssids[1]!), `${e.name}/backhaul`);
  }
  return map;
}

/** The demo Controller's BSS list, in the test harness's bss_info form: both extenders, both BSSs. */
export function controllerBssInfo(fronthaulPassphrase: string): string {
  return [DEMO_EXTENDERS.extender.alMac, DEMO_EXTENDERS.extender2.alMac]
    .flatMap((al) => [`${formatMac(al)} 8x home 0x0020 0x0008 ${fronthaulPassphrase} 0 1`, `${formatMac(al)} 8x home-backhaul 0x0020 0x0008 backhaul-secret-42 1 0`])
    .join('\n');
}

/** The fronthaul passphrase before and after the change on the Controller. */
export const FRONTHAUL_PASSPHRASES = ['fronthaul-secret', 'fronthaul-secret-2'] as const;

function controllerConfigs(passphrase: string, bssInfo: (passphrase: string) => string = controllerBssInfo) {
  const { entries, errors } = parseBssInfo(bssInfo(passphrase));
  if (errors.length > 0) throw errors[0]!;
  return bssConfigsFrom(entries);
}

/** A 1905 frame on the air: who sent and received it (802.11), its Ethernet addresses and its CMDU. */
interface AirCmdu {
  index: number;
  ta: Buffer;
  ra: Buffer;
  sa: Buffer;
  da: Buffer;
  fourAddress: boolean;
  messageType: number;
  relayed: boolean;
  /** WSC messages in its WSC TLVs, by WSC message type. */
  wsc: number[];
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
  /** The STAs whose events the EasyMesh part prints as they happen (extender2 joins later). */
  const watched: WorldSta[] = [];
  const followAll = (done: () => boolean) => () => {
    for (const s of watched) follow(s, () => true)();
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
    const extenderDevice = world.addExtender('extender', { ...DEMO_EXTENDERS.extender, conf: staConf('extender') });
    const extender = extenderDevice.sta;
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

    watched.push(extender, phone);
    const mesh = await runEasyMesh({ world, out, check, at, followAll, watched, connectedTo, extenderDevice, phone, bssInfo: options.controllerBssInfo ?? controllerBssInfo });

    out();
    out('gateway events:');
    for (const e of world.gatewayEvents) out(`  ${e.trim()}`);

    const who = names([extender, phone, legacy, mesh.extender2.sta], [extenderDevice, mesh.extender2]);
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
    for (const s of [extender, mesh.extender2.sta, phone]) {
      out(`  ${s.name} (${s.confPath.split('/').pop()}):`);
      for (const block of networkBlocks(s.savedConf())) for (const line of block.split('\n')) out(`    ${line}`);
    }

    out();
    out('association outcomes:');
    out(`  extender  -> gateway/backhaul: ${connectedTo(extender) ? 'connected, four-address mode, keys agreed' : 'not connected'}`);
    out(`  phone     -> gateway/home:     ${connectedTo(phone) ? 'connected (then moved to the extender)' : 'not connected'}`);
    out(`  legacy    -> gateway/backhaul: ${legacy.events.some((e) => e.includes('status_code=12')) ? 'refused (status 12: not a Multi-AP backhaul STA)' : 'not refused'}`);
    out(`  extender2 -> extender/backhaul: ${mesh.extender2.sta.radio.connectedBssid?.equals(extenderDevice.bssids[1]!) ? 'connected, four-address mode' : 'not connected'}`);
    out(`  phone     -> extender/home:    ${phone.radio.connectedBssid?.equals(extenderDevice.bssids[0]!) ? 'connected with the new passphrase' : 'not connected'}`);
    for (const e of [extenderDevice, mesh.extender2]) {
      out(`  ${e.name} AP: ${e.ap ? e.ap.daemon.runningConfig.bss.map((b, i) => `${formatMac(e.bssids[i]!)} "${b.ssid?.toString() ?? ''}" multi_ap=${b.multiApConfig.role}`).join(', ') : 'not running'}`);
    }

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
          stations: Object.fromEntries([extender, phone, legacy, mesh.extender2.sta].map((s) => [s.name, { events: s.events, savedNetworks: networkBlocks(s.savedConf()) }])),
          mesh: mesh.summary,
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

interface MeshContext {
  world: World;
  out: (line?: string) => void;
  check: (what: string, ok: boolean) => void;
  at: () => string;
  /** Wraps a runUntil predicate: prints the watched STAs' new events first. */
  followAll: (done: () => boolean) => () => boolean;
  watched: WorldSta[];
  connectedTo: (s: WorldSta) => string | undefined;
  extenderDevice: WorldExtender;
  phone: WorldSta;
  bssInfo: (fronthaulPassphrase: string) => string;
}

/** The 1905 frames on the air from frame `from` on. */
function airCmdus(world: World, from = 0): AirCmdu[] {
  const found: AirCmdu[] = [];
  world.frames.forEach((f, index) => {
    if (index < from) return;
    const frame = safeDecode(f);
    if (!frame || frame.kind !== 'data' || frame.etherType !== IEEE1905_ETHERTYPE) return;
    try {
      const { header, tlvs } = decodeCmduFrame(frame.payload);
      const wsc = tlvs.filter((t) => t.type === TlvType.Wsc).map((t) => decodeMessage(t.value).type ?? -1);
      const fourAddress = (frame.header.flags & (FcFlag.ToDs | FcFlag.FromDs)) === (FcFlag.ToDs | FcFlag.FromDs);
      const { addr1, addr2, addr3, addr4 } = frame.header;
      const toDs = (frame.header.flags & FcFlag.ToDs) !== 0;
      const sa = fourAddress ? addr4! : toDs ? addr2 : addr3;
      const da = fourAddress || toDs ? addr3 : addr1;
      found.push({ index, ta: addr2, ra: addr1, sa, da, fourAddress, messageType: header.messageType, relayed: isRelayed(header), wsc });
    } catch (error) {
      expectDecodeError(error);
    }
  });
  return found;
}

/** Beacons of `bssid` since frame `from`: their SSID and Multi-AP extension bits. */
function beaconsOf(world: World, bssid: Buffer, from = 0): { ssid: string; multiApExtension: number | undefined; wps: boolean }[] {
  const seen: { ssid: string; multiApExtension: number | undefined; wps: boolean }[] = [];
  for (const f of world.frames.slice(from)) {
    const frame = safeDecode(f);
    if (!frame || frame.kind !== 'beacon' || !frame.header.addr2.equals(bssid)) continue;
    const element = parseMultiApElement(frame.elements);
    const ssid = frame.elements.find((e) => e.id === 0)?.data.toString() ?? '';
    seen.push({ ssid, multiApExtension: element.kind === 'present' ? element.element.extension : undefined, wps: frame.elements.some((e) => e.id === 221 && e.data.subarray(0, 4).equals(Buffer.from('0050f204', 'hex'))) });
  }
  return seen;
}

const same = (a: Buffer | undefined, b: Buffer | undefined) => a !== undefined && b !== undefined && a.equals(b);

async function runEasyMesh(ctx: MeshContext): Promise<{ extender2: WorldExtender; summary: Record<string, unknown> }> {
  const { world, out, check, at, extenderDevice: e1, phone } = ctx;
  const e1Info = DEMO_EXTENDERS.extender;
  const e2Info = DEMO_EXTENDERS.extender2;
  const report = (who: string) => (text: string) => out(`${at()} ${who}: ${text}`);
  // On the extender's fronthaul BSS; nothing to press when its AP never came up (a failed step).
  const pushButton = (e: WorldExtender) => e.ap?.daemon.handle({ client: '', command: 'WPS_PBC', args: [], raw: 'WPS_PBC' }, 0) ?? Promise.resolve('FAIL\n');
  const phoneConnectedTo = (bssid: Buffer, since: number) => () => phone.events.slice(since).some((e) => e.startsWith(`CTRL-EVENT-CONNECTED - Connection to ${formatMac(bssid)}`));

  out();
  out(`${at()} EasyMesh: the gateway's Multi-AP Controller starts (its BSS list: ${controllerConfigs(FRONTHAUL_PASSPHRASES[0], ctx.bssInfo).length} bss_info lines, two per extender); the extender's Agent starts now that its backhaul is up`);
  const controller = gatewayController(world, world.gateway.registrar(0)!.device, controllerConfigs(FRONTHAUL_PASSPHRASES[0], ctx.bssInfo), systemRng, report('gateway'));
  const agent1 = extenderAgent(world, e1, systemRng, report('extender'));
  const meshFrom = world.frames.length;
  agent1.start();
  const configuredAp = (agent: AgentRole, count: number) => () => agent.applied.length >= count;
  world.runUntil(ctx.followAll(configuredAp(agent1, 1)), 30_000);
  world.runUntil(ctx.followAll(() => false), 500);

  // (b) from the frames: Search up the backhaul, Response down, M1 up, two M2s down; from the AP: Beacons.
  const b = airCmdus(world, meshFrom);
  const e1Search = b.find((c) => c.messageType === CmduType.ApAutoconfigSearch && same(c.sa, e1Info.alMac) && same(c.ra, GATEWAY_BSSIDS[1]) && c.fourAddress && c.relayed);
  const e1Response = b.find((c) => c.messageType === CmduType.ApAutoconfigResponse && same(c.sa, GATEWAY_AL_MAC) && same(c.da, e1Info.alMac));
  const e1M1 = b.find((c) => c.messageType === CmduType.ApAutoconfigWsc && same(c.sa, e1Info.alMac) && c.wsc.includes(WscType.M1));
  const e1M2 = b.find((c) => c.messageType === CmduType.ApAutoconfigWsc && same(c.sa, GATEWAY_AL_MAC) && same(c.da, e1Info.alMac));
  check('extender\'s Agent found the Controller over the four-address backhaul (Search up as a relayed multicast, Response and M1/M2 unicast, LLC/SNAP 0x893A)', !!e1Search && !!e1Response && !!e1M1 && !!e1M2);
  const e1Config = agent1.agent.configuration(e1Info.bssids[0]);
  const e1Bsses = e1Config?.kind === 'bsses' ? e1Config.bsses : [];
  check(
    'the Controller sent the extender one M2 per BSS, "home" (fronthaul 0x20) and "home-backhaul" (backhaul 0x40), and the Agent decrypted them',
    e1M2?.wsc.filter((t) => t === WscType.M2).length === 2 &&
      e1Bsses.some((x) => x.ssid.toString() === 'home' && x.fronthaul && !x.backhaul) &&
      e1Bsses.some((x) => x.ssid.toString() === 'home-backhaul' && x.backhaul && !x.fronthaul),
  );
  const e1Fronthaul = beaconsOf(world, e1Info.bssids[0], meshFrom);
  const e1Backhaul = beaconsOf(world, e1Info.bssids[1], meshFrom);
  check(
    'the extender\'s AP brought them up on its own radio: Beacons of "home" (WPS, Multi-AP 0x20) and "home-backhaul" (Multi-AP 0x40)',
    e1Fronthaul.some((x) => x.ssid === 'home' && x.multiApExtension === 0x20 && x.wps) && e1Backhaul.some((x) => x.ssid === 'home-backhaul' && x.multiApExtension === 0x40),
  );

  // (c) The phone moves next to the extender, out of the gateway's reach, and runs WPS there.
  world.runUntil(ctx.followAll(() => false), 6_000);
  out();
  out(`${at()} phone: moves next to the extender, out of the gateway's reach; extender: WPS_PBC; phone: WPS_PBC`);
  world.medium.setReach(phone.mac, GATEWAY_BSSIDS[0]!, false);
  const phoneFrom = phone.events.length;
  const framesBeforePhone = world.frames.length;
  await pushButton(e1);
  await phone.command('WPS_PBC');
  world.runUntil(ctx.followAll(phoneConnectedTo(e1Info.bssids[0], phoneFrom)), 60_000);
  await phone.daemon.settled();
  ctx.followAll(() => true)();
  const m8FromExtender = world.frames.slice(framesBeforePhone).some((f) => {
    const frame = safeDecode(f);
    return frame?.kind === 'data' && frame.header.addr2.equals(e1Info.bssids[0]) && frame.header.addr1.equals(phone.mac) && frameText(frame) === 'M8';
  });
  const phoneStation = e1.ap?.radio.station(0, phone.mac);
  check(
    'phone: WPS with the extender\'s Registrar (M8 from the extender\'s fronthaul BSS), connected there (same TK on both ends)',
    m8FromExtender && phoneConnectedTo(e1Info.bssids[0], phoneFrom)() && same(phone.radio.tk ?? undefined, phoneStation?.tk ?? undefined),
  );

  // (d) A second extender, out of the gateway's (and the phone's) reach, onboards through the first.
  world.runUntil(ctx.followAll(() => false), 6_000);
  out();
  out(`${at()} extender2 (out of the gateway's reach): WPS_PBC multi_ap=1; extender: WPS_PBC`);
  const extender2 = world.addExtender('extender2', { ...e2Info, conf: staConf('extender2'), outOfReachOf: [GATEWAY_BSSIDS[0]!, phone.mac] });
  const agent2 = extenderAgent(world, extender2, systemRng, report('extender2'));
  ctx.watched.push(extender2.sta);
  world.runUntil(ctx.followAll(() => false), 500);
  const e2From = world.frames.length;
  await pushButton(e1);
  await extender2.sta.command('WPS_PBC multi_ap=1');
  world.runUntil(ctx.followAll(() => ctx.connectedTo(extender2.sta) !== undefined), 60_000);
  await extender2.sta.daemon.settled();
  ctx.followAll(() => true)();
  agent2.start();
  world.runUntil(ctx.followAll(configuredAp(agent2, 1)), 30_000);
  world.runUntil(ctx.followAll(() => false), 500);
  const e2Station = e1.ap?.radio.station(1, extender2.sta.mac);
  check(
    'extender2 got the backhaul credentials from the extender\'s Registrar and joined the extender\'s backhaul BSS in four-address mode (same TK on both ends)',
    /ssid="home-backhaul"[\s\S]*multi_ap_backhaul_sta=1/.test(extender2.sta.savedConf()) &&
      (ctx.connectedTo(extender2.sta) ?? '').includes(formatMac(e1Info.bssids[1])) &&
      extender2.sta.radio.fourAddress && e2Station?.fourAddress === true && same(extender2.sta.radio.tk ?? undefined, e2Station?.tk ?? undefined),
  );
  const d = airCmdus(world, e2From);
  const e2Searches = d.filter((c) => c.messageType === CmduType.ApAutoconfigSearch && same(c.sa, e2Info.alMac));
  const hop1 = e2Searches.filter((c) => same(c.ta, parseMac(e2Info.staMac)) && same(c.ra, e1Info.bssids[1]));
  const hop2 = e2Searches.filter((c) => same(c.ta, parseMac(e1Info.staMac)) && same(c.ra, GATEWAY_BSSIDS[1]));
  const e2M2 = d.filter((c) => c.messageType === CmduType.ApAutoconfigWsc && same(c.sa, GATEWAY_AL_MAC) && same(c.da, e2Info.alMac) && c.wsc.filter((t) => t === WscType.M2).length === 2);
  check(
    'extender2\'s Search crossed two hops (sent once, relayed once by the extender\'s AL, relay indicator set) and its two M2s came back through the extender\'s bridge',
    hop1.length >= 1 && hop1.length === hop2.length && e2Searches.every((c) => c.relayed && c.fourAddress) &&
      e2M2.some((c) => same(c.ta, GATEWAY_BSSIDS[1]) && same(c.ra, parseMac(e1Info.staMac))) && e2M2.some((c) => same(c.ta, e1Info.bssids[1]) && same(c.ra, parseMac(e2Info.staMac))),
  );
  check(
    'extender2\'s AP runs "home" (Multi-AP 0x20) and "home-backhaul" (0x40) on its own radio',
    beaconsOf(world, e2Info.bssids[0], e2From).some((x) => x.ssid === 'home' && x.multiApExtension === 0x20) && beaconsOf(world, e2Info.bssids[1], e2From).some((x) => x.ssid === 'home-backhaul' && x.multiApExtension === 0x40),
  );

  // (e) A new fronthaul passphrase on the Controller: Renew, new M2s, every extender BSS changes.
  world.runUntil(ctx.followAll(() => false), 6_000);
  out();
  out(`${at()} Controller: the fronthaul passphrase changes; AP-Autoconfiguration Renew to every Agent`);
  const renewFrom = world.frames.length;
  const applied = [agent1.applied.length, agent2.applied.length];
  const phoneBeforeRenew = phone.events.length;
  controller.renew(controllerConfigs(FRONTHAUL_PASSPHRASES[1], ctx.bssInfo));
  world.runUntil(ctx.followAll(() => agent1.applied.length > applied[0]! && agent2.applied.length > applied[1]!), 60_000);
  world.runUntil(ctx.followAll(() => extender2.sta.radio.connectedBssid !== null), 30_000);
  // The phone, dropped by the extender's reload, tries its old key until the AP gives up on it.
  const oldKeyRefused = () => world.frames.slice(renewFrom).some((f) => {
    const frame = safeDecode(f);
    return frame?.kind === 'deauthentication' && frame.reason === 15 && frame.header.addr2.equals(e1Info.bssids[0]) && frame.header.addr1.equals(phone.mac);
  });
  world.runUntil(ctx.followAll(oldKeyRefused), 30_000);
  const e = airCmdus(world, renewFrom);
  const renews = e.filter((c) => c.messageType === CmduType.ApAutoconfigRenew && same(c.sa, GATEWAY_AL_MAC));
  const renewM2 = (al: Buffer) => e.some((c) => c.messageType === CmduType.ApAutoconfigWsc && same(c.sa, GATEWAY_AL_MAC) && same(c.da, al) && c.wsc.filter((t) => t === WscType.M2).length === 2);
  check(
    'the Renew reached both Agents (relayed by the extender to extender2), each sent a new M1 and got two new M2s',
    renews.some((c) => same(c.ra, parseMac(e1Info.staMac))) && renews.some((c) => same(c.ta, e1Info.bssids[1]) && same(c.ra, parseMac(e2Info.staMac))) &&
      agent1.log.some((l) => l.event.kind === 'renew') && agent2.log.some((l) => l.event.kind === 'renew') && renewM2(e1Info.alMac) && renewM2(e2Info.alMac),
  );
  const runsNew = (x: WorldExtender) => {
    const bss = x.ap?.daemon.runningConfig.bss ?? [];
    return bss.length === 2 && bss[0]!.ssid?.toString() === 'home' && bss[0]!.wpaPassphrase === FRONTHAUL_PASSPHRASES[1] && bss[1]!.ssid?.toString() === 'home-backhaul' && bss[1]!.wpaPassphrase === 'backhaul-secret-42';
  };
  const newBeacons = (x: WorldExtender) => beaconsOf(world, x.bssids[0]!, renewFrom).length > 0 && beaconsOf(world, x.bssids[1]!, renewFrom).length > 0;
  check(
    'every BSS of both extenders runs the new configuration ("home" with the new passphrase, "home-backhaul" as before) and is on the air',
    runsNew(e1) && runsNew(extender2) && newBeacons(e1) && newBeacons(extender2),
  );

  out();
  out(`${at()} phone: its key no longer works on the extender; extender: WPS_PBC; phone: WPS_PBC`);
  const phoneWpsFrom = phone.events.length;
  await pushButton(e1);
  await phone.command('WPS_PBC');
  world.runUntil(ctx.followAll(() => phone.events.slice(phoneWpsFrom).includes('WPS-SUCCESS ') && phoneConnectedTo(e1Info.bssids[0], phoneWpsFrom)()), 60_000);
  await phone.daemon.settled();
  ctx.followAll(() => true)();
  const dropped = phone.events.slice(phoneBeforeRenew, phoneWpsFrom).some((x) => x.startsWith(`CTRL-EVENT-DISCONNECTED bssid=${formatMac(e1Info.bssids[0])} reason=2`));
  const station = e1.ap?.radio.station(0, phone.mac);
  check(
    'phone: dropped by the reload, its old key refused (four-way handshake timeout, reason 15); WPS again, connected to the extender with the new passphrase (same TK on both ends)',
    dropped && oldKeyRefused() && new RegExp(`psk="${FRONTHAUL_PASSPHRASES[1]}"`).test(phone.savedConf()) && phoneConnectedTo(e1Info.bssids[0], phoneWpsFrom)() && same(phone.radio.tk ?? undefined, station?.tk ?? undefined),
  );

  const cmdus = airCmdus(world, meshFrom);
  return {
    extender2,
    summary: {
      cmdus: cmdus.length,
      controller: controller.log.map((l) => ({ time: l.time, kind: l.event.kind })),
      agents: { extender: agent1.log.map((l) => ({ time: l.time, kind: l.event.kind })), extender2: agent2.log.map((l) => ({ time: l.time, kind: l.event.kind })) },
    },
  };
}
