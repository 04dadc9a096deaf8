/**
 * Start-up self-test of both daemons, before they serve anyone:
 *   1. known answers for the WSC crypto: the DH group-5 exponentiations, DHKey, KDK and the KDF
 *      checked against one registration of hostapd 2.10 and wpa_supplicant 2.10 (both run with
 *      -dd -K; the real-pin capture set in test/vectors), as a FIPS-style power-on test does;
 *   2. complete PBC registrations between a throw-away Registrar and Enrollee over the in-process
 *      EAPOL/EAP-WSC stack (fresh keys from the OS CSPRNG), each of which must hand over the
 *      configured credential.
 * The second part is also what makes the daemon's first real registration fast: it runs every
 * codec, state machine and crypto call of the path often enough for V8 to compile them, so the
 * first Enrollee does not pay for the interpreter (a cold `onboard ap` took 10 ms of service time
 * for its first registration where hostapd takes 1.8 ms).
 */
import { performance } from 'node:perf_hooks';
import { EthernetSegment } from '../sim/ethernet-segment.js';
import { VirtualScheduler } from '../sim/scheduler.js';
import { OnboardError } from '../util/errors.js';
import { systemRng } from '../util/rng.js';
import { deriveSessionKeys, dhKeyPairFromPrivate, dhSharedSecret, sha256 } from '../wsc/crypto.js';
import type { DeviceInfo } from '../wsc/index.js';
import { AuthType, ConfigMethod, EncrType, EnrolleeRun, Registrar, RfBand } from '../wsc/index.js';
import { ApEapLink, StaEapLink } from './eap-links.js';

/** Registrations run at start by default: enough for V8 to optimise the path . */
export const SELF_TEST_REGISTRATIONS = 50;

export class SelfTestError extends OnboardError {
  constructor(what: string) {
    super('self-test', `start-up self-test failed: ${what}`);
  }
}

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** From wpa_supplicant's and hostapd's -dd -K logs of the real-pin registration. */
const KNOWN = {
  enrolleePrivateKey: hex('924dc0d3563c5e84eec3ed62ce9ed7711b2c1b2551e2c91e97'),
  registrarPrivateKey: hex('7dac076b62c33beb34e786d64a48962ad7af419cd6728542b4'),
  enrolleePublicKey: hex(`c8366e2f6fc309037a234cfcb0355723915b51e12ae90b4f110a464b2842d802800a2e75be2f1dce8d84b4c686dd5cb1
    a1142d008b18dc393c998e5fe662902d152413f3fb6d8e79b6c5959c041adc31da7b6a1307c432f6b0f99baa5bf75d22fe4961408bf61ada3e7cf588
    1129882b4d7a35e87ccad25ff4b17a628d819b73b0756ce68999fb84f14215c574dbc5f4b03abf170773b9a1515a16b22039820889c9382fbfda00c2
    a9cca286b6809c538d684fb658111cf9ef76e7fb60372d83`),
  enrolleeNonce: hex('3d06e2f9e9587fc34bf4536002fc7db2'),
  registrarNonce: hex('2a259e143d412c8438c6ab89709e927c'),
  enrolleeMac: hex('babffdc9e917'),
  dhKey: hex('20f0a4cc690a8c42a82eceb05ba6c836d76d92e60ae0f76bf16e9723a0635856'),
  authKey: hex('36974b4a49dba2a88d23c0ecf0662fd14b6253a9de60dcbe443bf392bc8cecc4'),
  keyWrapKey: hex('382532fde5f472739387d06b19c4d8f8'),
  emsk: hex('ab4ce414bba6404e89d134bdf9331d80a066f71ce4b86cad4e0dc4d14dc9e28a'),
};

function knownAnswers(): void {
  const enrollee = dhKeyPairFromPrivate(KNOWN.enrolleePrivateKey);
  if (!enrollee.publicKey.equals(KNOWN.enrolleePublicKey)) throw new SelfTestError('DH public key');
  const registrar = dhKeyPairFromPrivate(KNOWN.registrarPrivateKey);
  const z = dhSharedSecret(KNOWN.enrolleePrivateKey, registrar.publicKey);
  if (!z || !z.equals(dhSharedSecret(KNOWN.registrarPrivateKey, enrollee.publicKey) ?? Buffer.alloc(0))) throw new SelfTestError('DH shared secret');
  const keys = deriveSessionKeys(z, KNOWN.enrolleeNonce, KNOWN.enrolleeMac, KNOWN.registrarNonce);
  if (!sha256(z).equals(KNOWN.dhKey) || !keys.dhKey.equals(KNOWN.dhKey)) throw new SelfTestError('DHKey');
  if (!keys.authKey.equals(KNOWN.authKey) || !keys.keyWrapKey.equals(KNOWN.keyWrapKey) || !keys.emsk.equals(KNOWN.emsk)) throw new SelfTestError('KDF');
}

/** A device with a fresh UUID for in-process registrations (the self-test's, the benches'). */
export function throwawayDevice(name: string, macAddress: Buffer): DeviceInfo {
  return {
    uuid: systemRng.bytes(16),
    macAddress,
    deviceName: name,
    manufacturer: 'onboard',
    modelName: name,
    modelNumber: '1',
    serialNumber: '1',
    primaryDeviceType: Buffer.from('00060050f2040001', 'hex'),
    osVersion: 0x80000000,
    configMethods: ConfigMethod.VirtualPushButton | ConfigMethod.Display | ConfigMethod.Keypad,
    rfBands: RfBand.Band24,
  };
}

function registrations(count: number): void {
  const passphrase = 'self-test-passphrase';
  const registrar = new Registrar({
    device: throwawayDevice('self-test', Buffer.from([0x02, 0, 0, 0, 0, 1])),
    fronthaul: { ssid: Buffer.from('self-test'), authTypes: AuthType.Wpa2Psk, encrTypes: EncrType.Aes, passphrase },
    backhaul: { ssid: Buffer.from('self-test-backhaul'), passphrase },
  });
  const enrolleeDevice = throwawayDevice('self-test', Buffer.from([0x02, 0, 0, 0, 0, 2]));
  const clock = new VirtualScheduler();
  const segment = new EthernetSegment(clock, 0);
  let apLink: ApEapLink | null = null;
  let staLink: StaEapLink | null = null;
  const apPort = segment.attach((f) => apLink!.receive(f));
  const staPort = segment.attach((f) => staLink!.receive(f));
  apLink = new ApEapLink({ ownMac: registrar.device.macAddress, registrar, scheduler: clock, port: apPort, afterWsc: () => registrar.takeEvents() });
  staLink = new StaEapLink({ ownMac: enrolleeDevice.macAddress, scheduler: clock, port: staPort });
  for (let i = 0; i < count; i++) {
    // Past the previous port's hold and the PBC ignore window.
    clock.runUntil(clock.now() + 10_000);
    registrar.pushButton(clock.now());
    const run = new EnrolleeRun({ device: enrolleeDevice, method: { kind: 'pbc' }, ...(i % 2 ? { multiApRequest: { profile: 2 } } : {}) });
    let ended = false;
    staLink.startAttempt({ process: (f, now) => run.process(f, now), abort: () => (ended = true), workAhead: () => run.workAhead() });
    clock.runWhile(() => ended, 60_000);
    const outcome = run.outcome;
    const credential = outcome?.status === 'success' ? outcome.credentials[0]?.credential : undefined;
    // Every other run asks for the backhaul (M1's Multi-AP Extension 0x80) and must get its SSID.
    const ssid = i % 2 ? 'self-test-backhaul' : 'self-test';
    if (!credential || credential.networkKey.toString() !== passphrase || credential.ssid.toString() !== ssid) throw new SelfTestError(`registration ${i + 1} of ${count}: ${JSON.stringify(outcome?.status ?? 'no outcome')}`);
  }
  apLink.stop();
  staLink.stopAttempt();
}

/** Runs the self-test; throws SelfTestError on a wrong answer. Returns how long it took. */
export function runSelfTest(count = SELF_TEST_REGISTRATIONS): { ms: number; registrations: number } {
  const start = performance.now();
  knownAnswers();
  registrations(count);
  return { ms: performance.now() - start, registrations: count };
}
