/**
 * One fuzz target per parser and per protocol state the parsers feed. Seeds come from the real
 * captures (test/vectors), deterministic exchanges and the capture configuration files. Every
 * input runs on fresh state with deterministic randomness, so a saved crash replays on its own.
 *
 * `plantedBug` names, per target, a branch deep in the parser that no seed reaches; the self-test
 * (test/fuzz/self-test.test.ts) plants a bug there and measures how long the target takes to find
 * it. It is a condition checked after the target ran, never a switch in the product code.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseHostapdConf, parseHostapdConfOrThrow, parseWpaSupplicantConf, parseWpaSupplicantConfOrThrow } from '../src/config/index.js';
import { ApDaemon } from '../src/daemon/ap-daemon.js';
import { StaDaemon } from '../src/daemon/sta-daemon.js';
import type { AuthenticatorEvent, SupplicantEvent } from '../src/eap/index.js';
import type { DeviceInfo, EnrolleeEvent, Registrar, RegistrarEvent, WscFrame } from '../src/wsc/index.js';
import {
  Authenticator,
  decodeEap,
  decodeEapol,
  decodeEthernet,
  encodeEap,
  encodeEapol,
  encodeEthernet,
  Supplicant,
  WscReassembler,
  wscFragmentOf,
} from '../src/eap/index.js';
import { AuthType, ConfigMethod, decodeMessage, encodeMessage, EncrType, EnrolleeRun, processCredential, Registrar as RegistrarClass, RfBand, WscOpCode } from '../src/wsc/index.js';
import { decodeFrame, encodeFrame, parseMultiApElement, parseWpsElements, rsnElement } from '../src/ieee80211/index.js';
import type { Frame } from '../src/ieee80211/index.js';
import { VirtualScheduler } from '../src/sim/scheduler.js';
import { parseMac } from '../src/util/mac.js';
import type { Rng } from '../src/util/rng.js';
import { ScriptedRng } from '../src/util/rng.js';
import { decodeEapolKey, encodeEapolKey, KeyInfo, pmkFromPassphrase, Supplicant4Way } from '../src/wpa/index.js';
import { readMessage } from '../src/wsc/messages.js';
import { decodeTlvs, encodeTlvs } from '../src/wsc/tlv.js';
import { parseAttributes } from '../src/wsc/attributes.js';
import { createWorld, staConf } from '../src/demo/medium-world.js';
import { readCapture } from '../test/eap/pcapng.js';
import { OnboardError } from '../src/util/errors.js';
import { HwsimBridge } from '../src/sim/hwsim-bridge.js';
import { Medium } from '../src/sim/medium.js';
import { HWSIM_TX_CTL_NO_ACK, HwsimAttr, HwsimCommand, decodeHwsim } from '../src/netlink/hwsim.js';
import { GENL_ID_CTRL, genericRequest, getFamilyRequest, decodeNetlinkMessages, decodeFamily, s32Attribute, u32Attribute, u64Attribute } from '../src/netlink/netlink.js';
import { AlEntity, decodeCmduFrame, decodeTlv, encodeCmduFrame, encodeTlv, fragmentCmdu, MessageType as CmduType } from '../src/ieee1905/index.js';
import type { OutFrame } from '../src/ieee1905/index.js';
import type { AgentEvent, ControllerEvent } from '../src/easymesh/index.js';
import { parseBssInfo } from '../src/config/bss-info.js';
import { makeAgent, makeController, Wire } from '../test/support/easymesh-fixtures.js';
import { PRPLMESH_CAPTURES, prplmeshFrames } from '../test/support/prplmesh-captures.js';
import type { Target } from './engine.js';
import { InvariantError } from './engine.js';

const VECTORS = fileURLToPath(new URL('../../test/vectors/captures/', import.meta.url));
const SETS = ['real-pbc', 'real-pbc-frag100', 'real-pin'];
const vector = (set: string, name: string) => readFileSync(`${VECTORS}${set}/${name}`);

/** Randomness that depends only on the number of draws: replays see the same identifiers and nonces. */
class CountingRng implements Rng {
  private draws = 0;
  bytes(length: number): Buffer {
    return Buffer.alloc(length, ++this.draws & 0xff);
  }
}

/** Whether a throwing parser (typed error: the input was refused) accepted the input and `test` holds. */
function accepted<T>(parse: () => T, test: (value: T) => boolean): boolean {
  let value: T;
  try {
    value = parse();
  } catch (error) {
    if (error instanceof OnboardError) return false;
    throw error;
  }
  return test(value);
}

function same(a: Buffer, b: Buffer, what: string): void {
  if (!a.equals(b)) throw new InvariantError(`${what}: decode -> encode changed the bytes`);
}

/** Every Ethernet frame of the captures. */
function captureFrames(): Buffer[] {
  return SETS.flatMap((set) => readCapture(vector(set, 'capture.pcap')).records.map((r) => Buffer.from(r.data)));
}

/** Every reassembled WSC message of the captures. */
function captureMessages(): Buffer[] {
  const out: Buffer[] = [];
  for (const frame of captureFrames()) {
    try {
      const eap = decodeEap(decodeEapol(decodeEthernet(frame).payload).body);
      const fragment = wscFragmentOf(eap);
      if (fragment && fragment.data.length > 0 && fragment.messageLength === undefined) out.push(fragment.data);
    } catch {
      // EAPOL-Start and friends have no EAP body.
    }
  }
  return out;
}

function device(name: string, mac: string, uuidByte: number): DeviceInfo {
  return {
    uuid: Buffer.alloc(16, uuidByte),
    macAddress: parseMac(mac),
    deviceName: name,
    manufacturer: 'fuzz',
    modelName: name,
    modelNumber: '1',
    serialNumber: '1',
    primaryDeviceType: Buffer.from('00060050f2040001', 'hex'),
    osVersion: 1,
    configMethods: ConfigMethod.Display | ConfigMethod.VirtualPushButton,
    rfBands: RfBand.Band24,
  };
}

const ENROLLEE = device('enrollee', '02:00:00:00:01:00', 0x11);
const REGISTRAR_DEVICE = device('registrar', '02:00:00:00:0a:01', 0x22);
const fixedDraws = (tag: number) => [Buffer.alloc(16, tag), Buffer.alloc(32, tag + 1), Buffer.alloc(16, tag + 2), Buffer.alloc(16, tag + 3), Buffer.alloc(16, tag + 4), Buffer.alloc(16, tag + 5), Buffer.alloc(16, tag + 6)];

function registrar(): Registrar {
  const reg = new RegistrarClass({
    device: REGISTRAR_DEVICE,
    fronthaul: { ssid: Buffer.from('home'), authTypes: AuthType.Wpa2Psk, encrTypes: EncrType.Aes, passphrase: 'fronthaul-secret' },
    backhaul: { ssid: Buffer.from('home-backhaul'), passphrase: 'backhaul-secret-42' },
    rng: new ScriptedRng(fixedDraws(0x40)),
  });
  reg.addPin('12345670', {}, 0);
  return reg;
}

const enrollee = () => new EnrolleeRun({ device: ENROLLEE, method: { kind: 'pin', pin: '12345670' }, multiApRequest: { profile: 1 }, rng: new ScriptedRng(fixedDraws(0x10)) });

/** A deterministic PIN exchange with the Multi-AP request: [to enrollee..., to registrar...] in order. */
function transcript(): { toEnrollee: WscFrame[]; toRegistrar: WscFrame[] } {
  const run = enrollee();
  const session = registrar().startSession(ENROLLEE.macAddress, 0)!;
  const toEnrollee: WscFrame[] = [{ opCode: WscOpCode.Start, data: Buffer.alloc(0) }];
  const toRegistrar: WscFrame[] = [];
  for (let i = 0; i < 10; i++) {
    const e = run.process(toEnrollee[toEnrollee.length - 1]!, 0);
    if (!e.reply) break;
    toRegistrar.push(e.reply);
    const r = session.process(e.reply, 0);
    if (!r.reply) break;
    toEnrollee.push(r.reply);
  }
  return { toEnrollee, toRegistrar };
}

const T = transcript();

/** First byte picks which message of the exchange the rest replaces. */
function positioned(list: WscFrame[], input: Buffer): { index: number; frame: WscFrame } {
  const index = (input[0] ?? 0) % list.length;
  return { index, frame: { opCode: list[index]!.opCode, data: Buffer.from(input.subarray(1)) } };
}

const withIndex = (list: WscFrame[]) => list.map((f, i) => Buffer.concat([Buffer.from([i]), f.data]));

const STA_CONF = readFileSync(`${VECTORS}real-pin/wpa_supplicant.conf.after`);
const HOSTAPD_CONF = readFileSync(`${VECTORS}real-pin/hostapd.conf`);

/** A fresh STA daemon for each input: nothing carries over from the inputs before it. */
function sta(): StaDaemon {
  return new StaDaemon({
    ifname: 'wlan0',
    confPath: '/nonexistent/fuzz.conf',
    conf: parseWpaSupplicantConfOrThrow(STA_CONF).config,
    macAddress: ENROLLEE.macAddress,
    scheduler: new VirtualScheduler(),
    link: { startAttempt: () => {}, stopAttempt: () => {} },
    emit: () => {},
    writeConf: () => Promise.resolve(),
    readConf: () => Promise.resolve(STA_CONF),
  });
}

function ap(): ApDaemon {
  return new ApDaemon({
    confPath: 'hostapd.conf',
    config: parseHostapdConfOrThrow(HOSTAPD_CONF).config,
    bssMacs: [REGISTRAR_DEVICE.macAddress],
    scheduler: new VirtualScheduler(),
    emit: () => {},
    readConf: () => Promise.resolve(HOSTAPD_CONF),
  });
}

/** A control-interface input is a sequence of requests separated by RS (0x1e): a request itself may hold any other byte. */
const REQUEST_SEPARATOR = '\x1e';
const MAX_REQUESTS = 1000;

/** Runs the requests of `input` on a fresh daemon; every reply is checked against the reply buffer. */
async function ctrlSession<D extends { handle(ctx: ReturnType<typeof commandOf>): Promise<string> | string }>(daemon: D, input: Buffer, limit: number): Promise<{ daemon: D; replies: string[] }> {
  const replies: string[] = [];
  for (const request of input.toString('utf8').split(REQUEST_SEPARATOR).slice(0, MAX_REQUESTS)) {
    const reply = await daemon.handle(commandOf(Buffer.from(request)));
    checkReply(reply, limit);
    replies.push(reply);
  }
  return { daemon, replies };
}

function commandOf(input: Buffer): { client: string; command: string; args: string[]; raw: string } {
  const raw = input.toString('utf8');
  const [command = '', ...args] = raw.split(' ');
  return { client: '/fuzz', command: command.toUpperCase(), args, raw };
}

function checkReply(reply: unknown, limit: number): void {
  if (typeof reply !== 'string') throw new InvariantError('reply is not text');
  if (Buffer.byteLength(reply) > limit) throw new InvariantError(`reply of ${Buffer.byteLength(reply)} bytes exceeds ${limit}`);
}

const BACKHAUL_PMK = pmkFromPassphrase('backhaul-secret-42', Buffer.from('home-backhaul'));
const STA_COMMANDS = ['\x1e', '\x1eADD_NETWORK', 'PING', 'STATUS', 'WPS_PBC', 'WPS_PIN', 'WPS_CANCEL', 'LIST_NETWORKS', 'ADD_NETWORK', 'SET_NETWORK', 'GET_NETWORK', 'REMOVE_NETWORK', 'ENABLE_NETWORK', 'DISABLE_NETWORK', 'SELECT_NETWORK', 'SAVE_CONFIG', 'GET', 'SET', 'LOG_LEVEL', 'REASSOCIATE', 'RECONNECT', 'ROAM', 'BSS', 'BSS_FLUSH', 'GET_CAPABILITY', ' RANGE=ALL', ' RANGE=0-', ' MASK=0x20003', ' FIRST', ' LAST', ' NEXT-0', ' CURRENT', ' strict', ' iftype=STATION', ' key_mgmt', ' freq', ' 02:00:00:00:0a:01', ' any', ' multi_ap=1', ' 0', ' ssid', ' psk', ' "x"', ' 12345670', ' all'];
const AP_COMMANDS = ['\x1e', 'STATUS', 'WPS_PBC', 'WPS_PIN', 'WPS_CANCEL', 'WPS_AP_PIN', 'WPS_CHECK_PIN', 'WPS_GET_STATUS', 'GET_CONFIG', 'STA', 'STA-FIRST', 'STA-NEXT', 'DEAUTHENTICATE', ' any', ' set', ' random', ' 12345670', ' 02:00:00:00:01:00', ' 60'];
const WPA_OPTIONS = ['network={', '}', 'ssid=', 'psk=', 'key_mgmt=', 'multi_ap_backhaul_sta=', 'update_config=', 'ctrl_interface=', 'uuid=', 'device_type=', 'config_methods=', '"', '\t', '#'];
const HOSTAPD_OPTIONS = ['bss=', 'interface=', 'ssid=', 'wpa=', 'wpa_passphrase=', 'wpa_psk=', 'multi_ap=', 'multi_ap_backhaul_ssid=', 'multi_ap_backhaul_wpa_psk=', 'wps_state=', 'ap_pin=', 'uuid=', 'fragment_size=', '"'];

/** 802.11 frames of a short in-process onboarding on the medium. */
let radioFrames: Buffer[] | null = null;
function mediumFrames(): Buffer[] {
  if (radioFrames) return radioFrames;
  const w = createWorld();
  const ext = w.addSta('extender', '02:00:00:00:01:00', staConf('extender'));
  void w.gatewayCommand('WPS_PBC');
  void ext.command('WPS_PBC multi_ap=1');
  w.runUntil(() => ext.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED')), 30_000);
  radioFrames = w.frames.map((f) => f.frame).filter((f, i, all) => all.findIndex((g) => g.equals(f)) === i).slice(0, 60);
  w.close();
  return radioFrames;
}

/** Two `name=` lines with the same name in one section (the file, or one network block). */
function setsAnOptionTwice(input: Buffer): boolean {
  const seen = new Set<string>();
  for (const line of input.toString('latin1').split('\n')) {
    const text = line.trim();
    if (text.startsWith('network={') || text === '}') seen.clear();
    const name = /^([a-z_0-9]+)=/.exec(text)?.[1];
    if (!name) continue;
    if (name === 'bss') seen.clear();
    else if (seen.has(name)) return true;
    seen.add(name);
  }
  return false;
}

/** Fragments as [op][flags][len16?][n][n bytes]... through one bounded reassembler. */
function reassemble(input: Buffer): ReturnType<WscReassembler['accept']>[] {
  const r = new WscReassembler(2000);
  const results: ReturnType<WscReassembler['accept']>[] = [];
  for (let p = 0; p + 3 <= input.length; ) {
    const opCode = input[p]!;
    const flags = input[p + 1]!;
    const n = input[p + 2]!;
    const hasLength = (flags & 0x02) !== 0 && p + 5 <= input.length;
    const messageLength = hasLength ? input.readUInt16BE(p + 3) : undefined;
    const start = p + 3 + (hasLength ? 2 : 0);
    const data = input.subarray(start, start + n);
    const result = r.accept({ opCode, flags, ...(messageLength !== undefined ? { messageLength } : {}), data: Buffer.from(data) });
    if (result.kind === 'complete' && result.data.length > 2000) throw new InvariantError('reassembled beyond the bound');
    results.push(result);
    p = start + n;
  }
  return results;
}

/** Length-prefixed Ethernet frames, 10 ms apart. */
function eachFrame(input: Buffer, receive: (frame: Buffer, t: number) => void): void {
  for (let p = 0, t = 1; p + 2 <= input.length; t += 10) {
    const length = input.readUInt16BE(p);
    receive(input.subarray(p + 2, p + 2 + length), t);
    p += 2 + length;
  }
}

/** Runs the frames of `input` through an EAP port machine and collects its events. */
function portEvents<E>(machine: { receiveFrame(frame: Buffer, now: number): void; takeFrames(): unknown; takeEvents(): E[] }, input: Buffer): E[] {
  const events: E[] = [];
  eachFrame(input, (frame, t) => {
    machine.receiveFrame(frame, t);
    machine.takeFrames();
    events.push(...machine.takeEvents());
  });
  return events;
}

function supplicantEvents(input: Buffer): SupplicantEvent[] {
  const supplicant = new Supplicant({ ownMac: ENROLLEE.macAddress, handler: enrollee() });
  supplicant.start(0);
  return portEvents(supplicant, input);
}

function authenticatorEvents(input: Buffer): AuthenticatorEvent[] {
  const reg = registrar();
  return portEvents(new Authenticator({ ownMac: REGISTRAR_DEVICE.macAddress, createHandler: (mac, _id, now) => reg.startSession(mac, now), rng: new CountingRng() }), input);
}

/** The Enrollee's run with message `index` of the exchange replaced; its events and outcome. */
function enrolleeRun(input: Buffer): { run: EnrolleeRun; index: number; frame: WscFrame; events: EnrolleeEvent[] } {
  const { index, frame } = positioned(T.toEnrollee, input);
  const run = enrollee();
  const events: EnrolleeEvent[] = [];
  for (let i = 0; i < index; i++) events.push(...run.process(T.toEnrollee[i]!, 0).events);
  events.push(...run.process(frame, 0).events);
  for (let i = index + 1; i < T.toEnrollee.length && !run.outcome; i++) events.push(...run.process(T.toEnrollee[i]!, 0).events);
  return { run, index, frame, events };
}

function registrarRun(input: Buffer): { index: number; frame: WscFrame; events: RegistrarEvent[]; outcome: ReturnType<typeof registrarOutcome> } {
  const { index, frame } = positioned(T.toRegistrar, input);
  const reg = registrar();
  const session = reg.startSession(ENROLLEE.macAddress, 0)!;
  for (let i = 0; i < index; i++) session.process(T.toRegistrar[i]!, 0);
  session.process(frame, 0);
  for (let i = index + 1; i < T.toRegistrar.length; i++) session.process(T.toRegistrar[i]!, 0);
  return { index, frame, events: reg.takeEvents(), outcome: registrarOutcome(session) };
}

function registrarOutcome(session: { outcome: unknown }) {
  return session.outcome as { status: string; reason?: string } | undefined;
}

/** Every CMDU of the prplMesh captures, and of an in-process onboarding with fragmentation. */
function cmduSeeds(): Buffer[] {
  const big = fragmentCmdu({ messageType: CmduType.ApAutoconfigWsc, messageId: 9, relayIndicator: false, tlvs: [0, 1, 2].map((i) => ({ type: 0x11, value: Buffer.alloc(1400, i) })) });
  return [...PRPLMESH_CAPTURES.flatMap((name) => prplmeshFrames(name).map((f) => f.payload)), ...big];
}

/** Frames as one input: per frame a 2-byte length, then destination, source and CMDU. */
function framesInput(frames: readonly Pick<OutFrame, 'dst' | 'src' | 'payload'>[]): Buffer {
  return Buffer.concat(frames.flatMap((f) => {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(12 + f.payload.length);
    return [length, f.dst, f.src, f.payload];
  }));
}

function framesOf(input: Buffer): { dst: Buffer; src: Buffer; payload: Buffer }[] {
  const out = [];
  let at = 0;
  while (at + 2 <= input.length) {
    const length = input.readUInt16BE(at);
    const body = input.subarray(at + 2, at + 2 + length);
    at += 2 + length;
    if (body.length < 12) break;
    out.push({ dst: body.subarray(0, 6), src: body.subarray(6, 12), payload: body.subarray(12) });
  }
  return out;
}

/** The frames each side sent in a deterministic onboarding (the Agent's side, or the Controller's). */
function meshExchange(): { toController: Buffer; toAgent: Buffer } {
  const controller = makeController(new CountingRng());
  const agent = makeAgent(undefined, new CountingRng());
  const wire = new Wire(controller, [agent]);
  wire.take(agent, agent.start(0));
  wire.run(0);
  return {
    toController: framesInput(wire.log.filter((l) => l.from === 'agent1').map((l) => l.frame)),
    toAgent: framesInput(wire.log.filter((l) => l.from === 'controller').map((l) => l.frame)),
  };
}

function alEvents(input: Buffer) {
  const al = new AlEntity({ alMac: Buffer.from('02000000c0ff', 'hex'), interfaces: ['a', 'b'], rng: new CountingRng(), reassembly: { maxStreams: 4 } });
  const events = framesOf(input).flatMap((f, i) => al.receive({ iface: i % 2 ? 'a' : 'b', ...f }, i * 100).events);
  events.push(...al.tick(1e12).events);
  const pending = (al as unknown as { reassembler: { pendingStreams: number } }).reassembler.pendingStreams;
  if (pending !== 0) throw new InvariantError(`${pending} reassembly streams left after the timeout`);
  return events;
}

function controllerEvents(input: Buffer): ControllerEvent[] {
  const controller = makeController(new CountingRng());
  return framesOf(input).flatMap((f, i) => controller.receive({ iface: 'veth-gw', ...f }, i).events as ControllerEvent[]);
}

function agentEvents(input: Buffer): AgentEvent[] {
  const agent = makeAgent(undefined, new CountingRng());
  agent.start(0);
  return framesOf(input).flatMap((f, i) => agent.receive({ iface: 'veth-ag', ...f }, i).events as AgentEvent[]);
}

const refusedWith = (events: readonly { kind: string }[], code: string) => events.some((e) => e.kind === 'refused' && (e as unknown as { error: { code: string } }).error.code === code);

export const TARGETS: Target[] = [
  {
    name: 'wsc-attributes',
    seeds: captureMessages,
    run: (input) => {
      const items = decodeTlvs(input);
      same(encodeTlvs(items), input, 'TLVs');
      parseAttributes(items);
    },
    plantedBug: {
      branch: 'a Vendor Extension of another vendor than the WFA kept (attributes.ts)',
      reached: (input) => accepted(() => parseAttributes(decodeTlvs(input)), (attrs) => attrs.vendorExtensions.length > 0),
    },
  },
  {
    name: 'wsc-message',
    seeds: () => [...captureMessages(), ...T.toRegistrar.map((f) => f.data), ...T.toEnrollee.map((f) => f.data)],
    run: (input) => {
      const message = decodeMessage(input);
      same(encodeMessage(message), input, 'message');
      if (message.type !== undefined && message.type >= 4 && message.type <= 15 && message.type !== 6) readMessage(message.type as 4, message.attrs);
    },
    plantedBug: {
      branch: 'a Configuration Error other than 0 (No Error) decoded',
      reached: (input) => accepted(() => decodeMessage(input), (message) => message.attrs.configError !== undefined && message.attrs.configError !== 0),
    },
  },
  {
    name: 'wsc-credential',
    seeds: () => [Buffer.from('1026000101104500046861686110030002002010' + '0f000200081027000d66726f6e746861756c7061737310200006babffdc9e917', 'hex')],
    run: (input) => {
      processCredential(input);
    },
    plantedBug: {
      branch: 'a passphrase refused for its length or a control character',
      reached: (input) => {
        const result = processCredential(input);
        return !result.ok && result.reason === 'invalid-passphrase';
      },
    },
  },
  {
    name: 'eap-frames',
    seeds: captureFrames,
    run: (input) => {
      const ethernet = decodeEthernet(input);
      same(encodeEthernet(ethernet), input, 'Ethernet');
      const eapol = decodeEapol(ethernet.payload);
      same(encodeEapol(eapol), ethernet.payload, 'EAPOL');
      if (eapol.type !== 0) return;
      const eap = decodeEap(eapol.body);
      same(encodeEap(eap), eapol.body, 'EAP');
      wscFragmentOf(eap);
    },
    plantedBug: { branch: 'an EAPOL-Logoff', reached: (input) => accepted(() => decodeEapol(decodeEthernet(input).payload), (eapol) => eapol.type === 2) },
  },
  {
    name: 'eap-reassembly',
    seeds: () => [Buffer.from('0302000a0001020304050607080904000001ff', 'hex')],
    run: (input) => {
      reassemble(input);
    },
    plantedBug: {
      branch: 'a fragment whose Op-Code differs from the first fragment of its message',
      reached: (input) => reassemble(input).some((r) => r.kind === 'error' && r.error.code === 'wsc-fragment-op-code'),
    },
  },
  {
    name: 'eap-supplicant',
    seeds: () => captureFrames().map((f) => Buffer.concat([Buffer.from([f.length >> 8, f.length & 0xff]), f])),
    run: (input) => {
      supplicantEvents(input);
    },
    plantedBug: {
      branch: 'an EAPOL frame of a type other than EAP-Packet or EAPOL-Start reaching the EAP peer (ignored there)',
      reached: (input) => supplicantEvents(input).some((e) => e.type === 'frame-ignored' && /^EAPOL (?!Start )\S+( \d+)? is not for the EAP peer$/.test(e.reason)),
    },
  },
  {
    name: 'eap-authenticator',
    seeds: () => captureFrames().map((f) => Buffer.concat([Buffer.from([f.length >> 8, f.length & 0xff]), f])),
    run: (input) => {
      authenticatorEvents(input);
    },
    plantedBug: {
      branch: 'a frame from a group (multicast) source address',
      reached: (input) => authenticatorEvents(input).some((e) => e.type === 'frame-ignored' && e.reason === 'source is not a station address'),
    },
  },
  {
    name: 'enrollee-states',
    seeds: () => withIndex(T.toEnrollee),
    run: (input) => {
      const { run, index, frame } = enrolleeRun(input);
      // WSC_Start (index 0) carries no message: its data is ignored, as in the reference.
      if (index > 0 && run.outcome?.status === 'success' && !frame.data.equals(T.toEnrollee[index]!.data)) {
        throw new InvariantError(`credentials from a changed message ${index}`);
      }
    },
    plantedBug: {
      branch: 'a message whose Enrollee Nonce is not ours (the run fails without a NACK)',
      reached: (input) => {
        const { outcome } = enrolleeRun(input).run;
        return outcome?.status === 'failure' && outcome.reason === 'nonce-mismatch';
      },
    },
  },
  {
    name: 'registrar-states',
    seeds: () => withIndex(T.toRegistrar),
    run: (input) => {
      const { index, frame, events } = registrarRun(input);
      const success = events.some((e) => e.type === 'success');
      // Only WSC_Done, after M8 went out, may differ in bytes the Registrar does not check.
      if (success && index < T.toRegistrar.length - 1 && !frame.data.equals(T.toRegistrar[index]!.data)) {
        throw new InvariantError(`registration succeeded with a changed message ${index}`);
      }
    },
    plantedBug: {
      branch: 'a message without an attribute its type requires',
      reached: (input) => {
        const { outcome } = registrarRun(input);
        return outcome?.status === 'failure' && outcome.reason === 'missing-attribute';
      },
    },
  },
  {
    name: 'ieee80211-frames',
    seeds: mediumFrames,
    maxLength: 2048,
    run: (input) => {
      const frame: Frame = decodeFrame(input);
      same(encodeFrame(frame), input, '802.11 frame');
      if ('elements' in frame) {
        parseWpsElements(frame.elements);
        parseMultiApElement(frame.elements);
      }
    },
    plantedBug: { branch: 'a frame of a type or subtype without a typed decoding', reached: (input) => accepted(() => decodeFrame(input), (frame) => frame.kind === 'other') },
  },
  {
    name: 'eapol-key',
    seeds: () =>
      mediumFrames().flatMap((f) => {
        try {
          const frame = decodeFrame(f);
          return frame.kind === 'data' && frame.etherType === 0x888e && frame.payload[1] === 3 ? [frame.payload] : [];
        } catch {
          return [];
        }
      }),
    run: (input) => {
      const key = decodeEapolKey(input);
      // Bytes after the key data (inside or after the EAPOL body) are ignored, as by the references;
      // a frame without them must come back identical.
      const encoded = encodeEapolKey(key);
      if (input.length === encoded.length && input.readUInt16BE(2) === encoded.length - 4 && !encoded.equals(input)) throw new InvariantError('EAPOL-Key re-encoding differs');
      const machine = new Supplicant4Way({ pmk: BACKHAUL_PMK, aa: REGISTRAR_DEVICE.macAddress, spa: ENROLLEE.macAddress, rng: new CountingRng(), apRsn: rsnElement().data, ownRsn: rsnElement().data });
      machine.receive(input, 0);
      if (machine.takeEvents().some((e) => e.type === 'keys-installed')) throw new InvariantError('keys installed from a lone forged message');
    },
    plantedBug: { branch: 'an EAPOL-Key with the Request bit', reached: (input) => accepted(() => decodeEapolKey(input), (key) => (key.keyInfo & KeyInfo.Request) !== 0) },
  },
  {
    name: 'wpa-supplicant-conf',
    text: true,
    dictionary: WPA_OPTIONS,
    seeds: () => SETS.map((set) => vector(set, 'wpa_supplicant.conf.after')),
    run: (input) => {
      const parsed = parseWpaSupplicantConf(input);
      if (parsed.errors.length === 0) same(parsed.config.toBuffer(), input, 'wpa_supplicant.conf');
    },
    plantedBug: { branch: 'a valid file that sets one option twice', reached: (input) => parseWpaSupplicantConf(input).errors.length === 0 && setsAnOptionTwice(input) },
  },
  {
    name: 'hostapd-conf',
    text: true,
    dictionary: HOSTAPD_OPTIONS,
    seeds: () => SETS.map((set) => vector(set, 'hostapd.conf')),
    run: (input) => {
      const parsed = parseHostapdConf(input);
      if (parsed.errors.length === 0) same(parsed.conf.toBuffer(), input, 'hostapd.conf');
    },
    plantedBug: { branch: 'a valid file that sets one option twice', reached: (input) => parseHostapdConf(input).errors.length === 0 && setsAnOptionTwice(input) },
  },
  {
    name: 'ctrl-sta',
    text: true,
    dictionary: STA_COMMANDS,
    maxLength: 9000,
    separator: REQUEST_SEPARATOR,
    seeds: () =>
      [['STATUS'], ['WPS_PBC multi_ap=1'], ['WPS_PIN any 12345670'], ['ADD_NETWORK', 'SET_NETWORK 1 ssid "home"', 'GET_NETWORK 1 ssid'], ['LIST_NETWORKS'], ['SET device_name x', 'GET device_name'], ['WPS_CANCEL'], ['BSS RANGE=ALL MASK=0x20003'], ['GET_CAPABILITY pairwise strict'], ['ROAM 02:00:00:00:0a:01'], ['REASSOCIATE'], ['BSS_FLUSH 0']].map((requests) =>
        Buffer.from(requests.join(REQUEST_SEPARATOR)),
      ),
    run: async (input) => {
      await ctrlSession(sta(), input, 4096);
    },
    plantedBug: {
      branch: 'a third network added (two ADD_NETWORK in one input)',
      reached: async (input) => {
        const { daemon } = await ctrlSession(sta(), input, 4096);
        return (await daemon.handle(commandOf(Buffer.from('LIST_NETWORKS')))).trim().split('\n').length > 3;
      },
    },
  },
  {
    name: 'ctrl-ap',
    text: true,
    dictionary: AP_COMMANDS,
    maxLength: 5000,
    separator: REQUEST_SEPARATOR,
    seeds: () =>
      ['STATUS', 'WPS_PBC', 'WPS_PIN any 12345670', 'WPS_AP_PIN set 12345670', 'WPS_CHECK_PIN 12345670', 'GET_CONFIG', 'STA-FIRST', 'WPS_GET_STATUS'].map((c) => Buffer.from(c)),
    run: async (input) => {
      await ctrlSession(ap(), input, 8192);
    },
    plantedBug: { branch: 'WPS_CHECK_PIN with a wrong checksum', reached: async (input) => (await ctrlSession(ap(), input, 8192)).replies.includes('FAIL-CHECKSUM\n') },
  },
  {
    name: 'netlink-hwsim',
    // What the kernel may hand the medium's hwsim bridge: frames, address notices, radio dumps, errors.
    seeds: () => {
      const family = 0x21;
      const tx = genericRequest(family, HwsimCommand.Frame, [
        { type: HwsimAttr.AddrTransmitter, value: Buffer.from('420000000000', 'hex') },
        { type: HwsimAttr.Frame, value: Buffer.from('b0003a01020000000a00020000000000020000000a0020000000010000', 'hex') },
        u32Attribute(HwsimAttr.Flags, 1),
        u32Attribute(HwsimAttr.Freq, 2412),
        { type: HwsimAttr.TxInfo, value: Buffer.from('000100ff00ff00ff', 'hex') },
        u64Attribute(HwsimAttr.Cookie, 7n),
      ], 0);
      const mac = genericRequest(family, HwsimCommand.AddMacAddr, [{ type: HwsimAttr.AddrTransmitter, value: Buffer.from('420000000000', 'hex') }, { type: HwsimAttr.AddrReceiver, value: Buffer.from('020000000001', 'hex') }], 0);
      const radio = genericRequest(family, HwsimCommand.GetRadio, [u32Attribute(HwsimAttr.RadioId, 1), s32Attribute(HwsimAttr.Signal, -40)], 0);
      return [tx, mac, radio, Buffer.concat([tx, mac]), getFamilyRequest('MAC80211_HWSIM', 1)];
    },
    run: (input) => {
      const medium = new Medium(new VirtualScheduler());
      medium.attach({ mac: Buffer.from('02000000000a', 'hex'), channel: 1 }, () => {});
      // The bridge counts what it cannot decode; anything it throws is a crash.
      new HwsimBridge({ medium, family: 0x21, send: () => 0 }).receive(input);
      accepted(() => decodeNetlinkMessages(input).filter((m) => m.type === GENL_ID_CTRL).map(decodeFamily), () => true);
    },
    plantedBug: {
      branch: 'a transmitted frame with HWSIM_TX_CTL_NO_ACK decoded (hwsim.ts)',
      reached: (input) =>
        accepted(
          () => decodeNetlinkMessages(input).filter((m) => m.type === 0x21).map(decodeHwsim),
          (all) => all.some((m) => m?.command === HwsimCommand.Frame && (m.flags & HWSIM_TX_CTL_NO_ACK) !== 0),
        ),
    },
  },
  {
    name: 'ieee1905-cmdu',
    seeds: cmduSeeds,
    maxLength: 1600,
    run: (input) => {
      const frame = decodeCmduFrame(input);
      same(encodeCmduFrame(frame), input, 'CMDU');
      for (const raw of frame.tlvs) {
        let tlv;
        try {
          tlv = decodeTlv(raw);
        } catch (error) {
          if (error instanceof OnboardError) continue;
          throw error;
        }
        same(encodeTlv(tlv).value, raw.value, `TLV 0x${raw.type.toString(16)}`);
      }
    },
    plantedBug: {
      branch: 'a TLV of a type without a typed decoding kept opaque (tlvs.ts)',
      reached: (input) => accepted(() => decodeCmduFrame(input).tlvs.map(decodeTlv), (tlvs) => tlvs.some((t) => t.kind === 'unknown')),
    },
  },
  {
    name: 'ieee1905-reassembly',
    // Three small fragments of one message, then the same message again whole.
    seeds: () => {
      const tlvs = [0, 1, 2].map((i) => ({ type: 0x11, value: Buffer.alloc(60, i) }));
      const fragments = fragmentCmdu({ messageType: CmduType.ApAutoconfigWsc, messageId: 9, relayIndicator: false, tlvs }, 100);
      const whole = fragmentCmdu({ messageType: CmduType.ApAutoconfigWsc, messageId: 10, relayIndicator: true, tlvs });
      const from = (payload: Buffer) => ({ dst: Buffer.from('0180c2000013', 'hex'), src: Buffer.from('02000000a0ff', 'hex'), payload });
      return [framesInput([...fragments, ...whole].map(from))];
    },
    run: (input) => {
      alEvents(input);
    },
    plantedBug: {
      branch: 'a fragment stream that never completes, dropped at its timeout (fragmentation.ts)',
      reached: (input) => alEvents(input).some((e) => e.kind === 'refused' && e.error.code === 'ieee1905-reassembly-timeout'),
    },
  },
  {
    name: 'easymesh-controller',
    seeds: () => [meshExchange().toController],
    run: (input) => {
      controllerEvents(input);
    },
    plantedBug: {
      branch: "an M1 whose MAC Address is not the sender's AL MAC refused (controller.ts)",
      reached: (input) => refusedWith(controllerEvents(input), 'easymesh-m1-mac-not-al-mac'),
    },
  },
  {
    name: 'easymesh-agent',
    seeds: () => [meshExchange().toAgent],
    run: (input) => {
      agentEvents(input);
    },
    plantedBug: {
      branch: 'an M2 set refused for a wrong Authenticator (agent.ts)',
      reached: (input) => refusedWith(agentEvents(input), 'easymesh-m2-authenticator'),
    },
  },
  {
    name: 'bss-info',
    text: true,
    seeds: () => [
      Buffer.from('02:00:00:00:a0:ff 8x Mesh-FH 0x0020 0x0008 fhpass123 0 1\n02:00:00:00:a0:ff 8x Mesh-BH 0x0020 0x0008 bhpass123 1 0\n'),
      Buffer.from('# comment\n02:00:00:00:b0:ff 12x open 0x0001 0x0001 - 0 1\n02:00:00:00:b0:ff 8x\n'),
    ],
    dictionary: ['8x', '11x', '12x', '81', '115', '0x0020', '0x0008', '0x0001', '0', '1', '02:00:00:00:a0:ff', '#'],
    run: (input) => {
      parseBssInfo(input.toString('utf8'));
    },
    plantedBug: {
      branch: 'an operating class given as a number (bss-info.ts)',
      reached: (input) => parseBssInfo(input.toString('utf8')).entries.some((e) => e.kind === 'bss' && e.config.opClasses.length === 1),
    },
  },
];
