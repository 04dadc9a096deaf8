/**
 * On the air with the real hostapd and wpa_supplicant 2.10: mac80211_hwsim radios in a QEMU guest
 * (scripts/air-vm.sh; needs root), bridged by `onboard medium --hwsim` to onboard's simulated
 * radios. The VM boots once for every scenario; each case then reads its scenario's evidence (both
 * sides' logs, the configurations they saved, the medium's capture of both sides' frames) and checks
 * events on both sides, the credential byte for byte against the golden capture of the real pair
 * (test/vectors/air/real-air-multiap-split, hostap's test_multi_ap_wps_split configuration) and the
 * frames on the air. A VM that cannot run (no qemu, no 9p, no kernel package) fails every case with
 * the reason: never a pass.
 * Time budget: one boot (~3 s) and 8-25 s per scenario under TCG on 2 cores (the policy matrix ~90 s):
 * about 5 min in all; the suite's timeout is 15 min.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AirRun, CapturedAirFrame } from '../support/air.js';
import { Evidence, eapolKeys, loggedCredentials, mac, multiApValue, runAirVm, tlv } from '../support/air.js';
import { FcFlag } from '../../src/ieee80211/index.js';

const SCENARIOS = [
  'wpas-to-onboard-ap',
  'onboard-sta-to-hostapd-split',
  'onboard-sta-to-hostapd-shared',
  'wpas-pin-to-onboard-ap',
  'wpas-pbc-to-onboard-ap',
  'wpas-legacy-to-onboard-ap',
  'onboard-sta-pin-to-hostapd',
  'onboard-sta-pbc-to-hostapd',
  'onboard-sta-legacy-to-hostapd',
  'multi-ap-policy-matrix',
  'mixed-medium',
];
const SUITE_TIMEOUT_MS = 15 * 60_000;
const GOLDEN = fileURLToPath(new URL('../../../test/vectors/air/real-air-multiap-split/', import.meta.url));
/** The Credential hostapd 2.10 sent wpa_supplicant 2.10 (STA 02:00:00:00:01:00) in the golden run. */
const GOLDEN_CREDENTIAL = loggedCredentials(readFileSync(join(GOLDEN, 'wpas.log'), 'utf8'))[0]!;
const STA = '02:00:00:00:01:00';
// EAPOL-Key Key Information of messages 1..4 in the golden capture (WPA2-PSK, HMAC-SHA1-AES).
const HANDSHAKE_KEY_INFO = [0x008a, 0x010a, 0x13ca, 0x030a];

let run: AirRun;

/** A Credential attribute as hostapd's wps_build_cred writes it: index 1, SSID, auth, encryption, key, Enrollee MAC. */
function credential(ssid: string, key: string, staMac: string): Buffer {
  return tlv(0x100e, Buffer.concat([
    tlv(0x1026, Buffer.from([1])),
    tlv(0x1045, Buffer.from(ssid)),
    tlv(0x1003, Buffer.from([0x00, 0x20])),
    tlv(0x100f, Buffer.from([0x00, 0x08])),
    tlv(0x1027, Buffer.from(key)),
    tlv(0x1020, Buffer.from(staMac.split(':').map((h) => parseInt(h, 16)))),
  ]));
}

function scenario(name: string): Evidence {
  if (run.notRun) assert.fail(`NOT RUN: ${run.notRun}`);
  const evidence = new Evidence(join(run.out, name));
  if (!evidence.has('result')) assert.fail(`scenario ${name} left no result (guest died or timed out?); evidence in ${evidence.dir}, console in ${join(run.out, 'console.log')}\n${run.log.slice(-2000)}`);
  return evidence;
}

function association(frames: CapturedAirFrame[], from: string, to: string, kind: 'association-request' | 'association-response') {
  return frames.filter((f) => f.frame?.kind === kind && mac(f.frame.header.addr2) === from && mac(f.frame.header.addr1) === to);
}

/** Association with the Multi-AP element both ways, the four-way handshake as in the golden capture, then four-address data. */
function checkBackhaulOnAir(frames: CapturedAirFrame[], o: { sta: string; fronthaul: string; backhaul: string; fronthaulValue: number; backhaulValue: number; dataFrom: string }): void {
  const fhRequest = association(frames, o.sta, o.fronthaul, 'association-request');
  assert.ok(fhRequest.length > 0, `Association Request ${o.sta} -> fronthaul ${o.fronthaul}`);
  assert.equal(multiApValue(fhRequest[0]!.frame!), 0x80, 'WPS association carries Multi-AP 0x80 (backhaul STA)');
  const fhResponse = association(frames, o.fronthaul, o.sta, 'association-response');
  assert.ok(fhResponse.length > 0, 'Association Response from the fronthaul BSS');
  const fh = fhResponse[0]!.frame!;
  assert.equal(fh.kind === 'association-response' && fh.status, 0);
  assert.equal(multiApValue(fh), o.fronthaulValue, 'fronthaul BSS Multi-AP value');

  const bhRequest = association(frames, o.sta, o.backhaul, 'association-request');
  assert.ok(bhRequest.length > 0, `Association Request ${o.sta} -> backhaul ${o.backhaul}`);
  assert.equal(multiApValue(bhRequest.at(-1)!.frame!), 0x80);
  const bhResponse = association(frames, o.backhaul, o.sta, 'association-response').at(-1);
  assert.ok(bhResponse, 'Association Response from the backhaul BSS');
  assert.equal(bhResponse.frame!.kind === 'association-response' && bhResponse.frame!.status, 0);
  assert.equal(multiApValue(bhResponse.frame!), o.backhaulValue, 'backhaul BSS Multi-AP value');

  const keys = eapolKeys(frames.filter((f) => f.index > bhResponse.index)).filter((k) => [k.ta, k.ra].includes(o.backhaul));
  // Messages 1..4 in order; a slow peer (TCG) may make the AP retransmit one, as hostapd does.
  let step = 0;
  let last = -1;
  for (const k of keys) {
    if (step < 4 && k.keyInfo === HANDSHAKE_KEY_INFO[step]) {
      step++;
      last = k.at.index;
    }
  }
  assert.equal(step, 4, `four-way handshake after the backhaul association: ${keys.map((k) => k.keyInfo.toString(16)).join(' ')}`);

  const fourAddress = frames.filter(
    (f) =>
      f.index > last &&
      f.frame !== null &&
      f.frame.header.type === 2 &&
      (f.frame.header.flags & (FcFlag.ToDs | FcFlag.FromDs)) === (FcFlag.ToDs | FcFlag.FromDs) &&
      mac(f.frame.header.addr2) === o.dataFrom,
  );
  assert.ok(fourAddress.length > 0, `four-address data frames from ${o.dataFrom} after the handshake`);
  assert.ok(fourAddress.some((f) => (f.frame!.header.flags & FcFlag.Protected) !== 0), 'protected (CCMP) four-address data');
  const exchange = frames.filter((f) => f.frame && [o.sta].includes(mac(f.frame.header.addr2)) && [o.fronthaul, o.backhaul].includes(mac(f.frame.header.addr1)));
  assert.ok(exchange.every((f) => f.frequency === 2412), 'the STA talks to the BSSs on channel 1 (2412 MHz)');
}

/** The hwsim bridge reported TX status with ACKs to the kernel (mac80211 needs them to move on). */
function checkAcks(evidence: Evidence): void {
  const stats = /medium: hwsim: (\d+) frames from the radios, (\d+) injected, (\d+) TX status \((\d+) ACK\)/.exec(evidence.text('medium.log'));
  assert.ok(stats, 'the medium printed its hwsim statistics');
  const [, fromRadios, , status, acked] = stats.map(Number);
  // One TX status per transmitted frame; the last one or two may still be in flight when the medium stops.
  assert.ok(status! <= fromRadios! && fromRadios! - status! <= 2, `TX status for every frame a hwsim radio transmitted (${status} of ${fromRadios})`);
  assert.ok(acked! > 5, `ACKed TX status reported (${acked})`);
}

describe('air: real hostapd / wpa_supplicant on mac80211_hwsim, bridged to onboard', { timeout: SUITE_TIMEOUT_MS }, () => {
  before(() => {
    run = runAirVm(SCENARIOS, SUITE_TIMEOUT_MS - 30_000);
    console.log(`# air: VM run ${run.notRun ? 'NOT RUN' : `exit ${run.status}`} in ${run.seconds.toFixed(0)} s; evidence in ${run.out}`);
  });

  it('real wpa_supplicant WPS_PBC multi_ap=1 -> onboard ap (fronthaul multi_ap=2 + backhaul BSS multi_ap=1)', () => {
    const o = scenario('wpas-to-onboard-ap');
    const wpas = o.text('wpas.log');
    const ap = o.text('onboard-ap.log');
    for (const event of ['WPS-CRED-RECEIVED', 'WPS-SUCCESS', 'CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:0a:01 completed']) assert.ok(wpas.includes(`wlan1: ${event}`), `wpa_supplicant: ${event}`);
    assert.match(ap, new RegExp(`obap0: WPS-REG-SUCCESS ${STA} `));
    assert.match(ap, /obap0: WPS-SUCCESS/);
    assert.match(ap, new RegExp(`obap0_bh: ${STA} associated \\(aid \\d+, Multi-AP backhaul STA, four-address\\)`));
    assert.match(ap, new RegExp(`obap0_bh: ${STA}: four-way handshake done, keys installed`));
    assert.match(ap, new RegExp(`AP-STA-CONNECTED ${STA}`));
    // Our Registrar's Credential, as wpa_supplicant received it, equals hostapd's in the golden run.
    assert.deepEqual(loggedCredentials(wpas)[0], GOLDEN_CREDENTIAL);
    const saved = o.text('wpas-saved.conf');
    assert.match(saved, /network=\{\n\tssid="multi-ap-backhaul-wps"\n\tpsk="87654321"\n[^}]*\tmulti_ap_backhaul_sta=1\n\}/);
    const status = o.text('wpas-status.txt');
    assert.match(status, /^bssid=02:00:00:00:0a:01$/m);
    assert.match(status, /^ssid=multi-ap-backhaul-wps$/m);
    assert.match(status, /^wpa_state=COMPLETED$/m);
    assert.match(status, /^key_mgmt=WPA2-PSK$/m);
    assert.match(o.text('iw-sta.txt'), /4addr: on/, 'wpa_supplicant put its interface in four-address mode');
    // Our AP has no IP stack behind its radio: the STA's own pings and neighbour discovery are the data.
    checkBackhaulOnAir(o.frames(), { sta: STA, fronthaul: '02:00:00:00:0a:00', backhaul: '02:00:00:00:0a:01', fronthaulValue: 0x20, backhaulValue: 0x40, dataFrom: STA });
    checkAcks(o);
  });

  it('onboard sta WPS_PBC multi_ap=1 -> real hostapd, split configuration (golden capture\'s)', () => {
    const o = scenario('onboard-sta-to-hostapd-split');
    const sta = o.text('onboard-sta.log');
    const hostapd = o.text('hostapd.log');
    for (const event of ['WPS-CRED-RECEIVED', 'WPS-SUCCESS', 'CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:00:01 completed']) assert.ok(sta.includes(`obsta0: ${event}`), `onboard sta: ${event}`);
    assert.match(hostapd, new RegExp(`wlan0: WPS-REG-SUCCESS ${STA} `));
    assert.match(hostapd, new RegExp(`wlan0_bh: WDS-STA-INTERFACE-ADDED ifname=wlan0_bh.sta1 sta_addr=${STA}`));
    assert.match(hostapd, new RegExp(`wlan0_bh: AP-STA-CONNECTED ${STA}`));
    assert.match(hostapd, new RegExp(`wlan0_bh: EAPOL-4WAY-HS-COMPLETED ${STA}`));
    assert.deepEqual(loggedCredentials(sta)[0], GOLDEN_CREDENTIAL, 'hostapd sent us what it sent wpa_supplicant in the golden run');
    assert.match(o.text('ext-saved.conf'), /network=\{\n\tssid="multi-ap-backhaul-wps"\n\tpsk="87654321"\n[^}]*\tmulti_ap_backhaul_sta=1\n\}/);
    assert.match(o.text('sta-status.txt'), /^wpa_state=COMPLETED$/m);
    assert.equal(o.text('wds-interface.txt').trim(), 'wlan0_bh.sta1');
    // hostapd's four-address interface pinged all nodes: its frames reach our STA in four-address form.
    checkBackhaulOnAir(o.frames(), { sta: STA, fronthaul: '02:00:00:00:00:00', backhaul: '02:00:00:00:00:01', fronthaulValue: 0x20, backhaulValue: 0x40, dataFrom: '02:00:00:00:00:01' });
    checkAcks(o);
  });

  it('onboard sta WPS_PBC multi_ap=1 -> real hostapd, shared configuration (one BSS, multi_ap=3)', () => {
    const o = scenario('onboard-sta-to-hostapd-shared');
    const sta = o.text('onboard-sta.log');
    const hostapd = o.text('hostapd.log');
    for (const event of ['WPS-CRED-RECEIVED', 'WPS-SUCCESS', 'CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:00:00 completed']) assert.ok(sta.includes(`obsta0: ${event}`), `onboard sta: ${event}`);
    assert.match(hostapd, new RegExp(`wlan0: WPS-REG-SUCCESS ${STA} `));
    assert.match(hostapd, new RegExp(`wlan0: WDS-STA-INTERFACE-ADDED ifname=wlan0.sta1 sta_addr=${STA}`));
    assert.match(hostapd, new RegExp(`wlan0: EAPOL-4WAY-HS-COMPLETED ${STA}`));
    // The Credential as hostapd's -K log lists its members (wps_build_cred order).
    assert.match(hostapd, /WPS: Use backhaul STA credentials/);
    const expected = credential('multi-ap-wps', '12345678', STA);
    assert.match(hostapd, /WPS: Network Key - hexdump\(len=8\): 31 32 33 34 35 36 37 38/);
    assert.deepEqual(loggedCredentials(sta)[0], expected);
    assert.match(o.text('ext-saved.conf'), /network=\{\n\tssid="multi-ap-wps"\n\tpsk="12345678"\n[^}]*\tmulti_ap_backhaul_sta=1\n\}/);
    assert.equal(o.text('wds-interface.txt').trim(), 'wlan0.sta1');
    checkBackhaulOnAir(o.frames(), { sta: STA, fronthaul: '02:00:00:00:00:00', backhaul: '02:00:00:00:00:00', fronthaulValue: 0x60, backhaulValue: 0x60, dataFrom: '02:00:00:00:00:00' });
    checkAcks(o);
  });

  // A fronthaul onboarding: the fronthaul credential (the passphrase, as both Enrollees have the
  // Display method), a plain association without the Multi-AP element, no four-address mode.
  function checkFronthaulOnAir(frames: CapturedAirFrame[], sta: string, fronthaul: string): void {
    const requests = association(frames, sta, fronthaul, 'association-request');
    assert.ok(requests.length >= 2, 'WPS association, then the association with the received network');
    assert.ok(requests.every((f) => multiApValue(f.frame!) === undefined), 'no Multi-AP element from a plain STA');
    const responses = association(frames, fronthaul, sta, 'association-response');
    assert.ok(responses.length >= 2 && responses.every((f) => f.frame!.kind === 'association-response' && f.frame!.status === 0));
    const keys = eapolKeys(frames).filter((k) => [k.ta, k.ra].includes(fronthaul)).map((k) => k.keyInfo);
    assert.ok(HANDSHAKE_KEY_INFO.every((info) => keys.includes(info)), `four-way handshake with the fronthaul BSS: ${keys.map((k) => k.toString(16)).join(' ')}`);
    assert.ok(!frames.some((f) => f.frame && f.frame.header.type === 2 && (f.frame.header.flags & 3) === 3 && mac(f.frame.header.addr2) === sta), 'no four-address frame from a plain STA');
  }

  for (const method of ['pin', 'pbc'] as const) {
    it(`${method === 'pin' ? 'PIN' : 'plain PBC (a phone)'}: real wpa_supplicant -> onboard ap, fronthaul credential`, () => {
      const o = scenario(`wpas-${method}-to-onboard-ap`);
      const wpas = o.text('wpas.log');
      const ap = o.text('onboard-ap.log');
      for (const event of ['WPS-CRED-RECEIVED', 'WPS-SUCCESS', 'CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:0a:00 completed']) assert.ok(wpas.includes(`wlan1: ${event}`), `wpa_supplicant: ${event}`);
      assert.match(ap, new RegExp(`obap0: WPS-REG-SUCCESS ${STA} `));
      assert.match(ap, new RegExp(`obap0: ${STA}: four-way handshake done`));
      assert.deepEqual(loggedCredentials(wpas)[0], credential('multi-ap-fronthaul-wps', '12345678', STA));
      const saved = o.text('wpas-saved.conf');
      assert.match(saved, /network=\{\n\tssid="multi-ap-fronthaul-wps"\n\tpsk="12345678"\n/);
      assert.doesNotMatch(saved, /multi_ap_backhaul_sta/);
      assert.doesNotMatch(o.text('iw-sta.txt'), /4addr: on/, 'iw prints 4addr only when on');
      checkFronthaulOnAir(o.frames(), STA, '02:00:00:00:0a:00');
      checkAcks(o);
    });

    it(`${method === 'pin' ? 'PIN' : 'plain PBC (a phone)'}: onboard sta -> real hostapd, fronthaul credential`, () => {
      const o = scenario(`onboard-sta-${method}-to-hostapd`);
      const sta = o.text('onboard-sta.log');
      const hostapd = o.text('hostapd.log');
      for (const event of ['WPS-CRED-RECEIVED', 'WPS-SUCCESS', 'CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:00:00 completed']) assert.ok(sta.includes(`obsta0: ${event}`), `onboard sta: ${event}`);
      assert.match(hostapd, new RegExp(`wlan0: WPS-REG-SUCCESS ${STA} `));
      assert.match(hostapd, new RegExp(`wlan0: EAPOL-4WAY-HS-COMPLETED ${STA}`));
      assert.doesNotMatch(hostapd, /WDS-STA-INTERFACE-ADDED/);
      assert.match(hostapd, /WPS: Network Key - hexdump\(len=8\): 31 32 33 34 35 36 37 38/);
      assert.deepEqual(loggedCredentials(sta)[0], credential('multi-ap-fronthaul-wps', '12345678', STA));
      assert.doesNotMatch(o.text('ext-saved.conf'), /multi_ap_backhaul_sta/);
      checkFronthaulOnAir(o.frames(), STA, '02:00:00:00:00:00');
      checkAcks(o);
    });
  }

  it('a legacy STA with the backhaul passphrase is refused by a backhaul-only BSS: real wpa_supplicant -> onboard ap', () => {
    const o = scenario('wpas-legacy-to-onboard-ap');
    const wpas = o.text('wpas.log');
    assert.ok((wpas.match(/wlan1: CTRL-EVENT-ASSOC-REJECT bssid=02:00:00:00:0a:01 status_code=12/g) ?? []).length >= 2, 'refused with status 12, and again');
    assert.doesNotMatch(wpas, /CTRL-EVENT-CONNECTED/);
    assert.match(o.text('onboard-ap.log'), new RegExp(`obap0_bh: association of ${STA} refused: status 12`));
    const refusals = association(o.frames(), '02:00:00:00:0a:01', STA, 'association-response');
    assert.ok(refusals.length >= 2 && refusals.every((f) => f.frame!.kind === 'association-response' && f.frame!.status === 12));
  });

  it('a legacy STA with the backhaul passphrase is refused by a backhaul-only BSS: onboard sta -> real hostapd', () => {
    const o = scenario('onboard-sta-legacy-to-hostapd');
    const sta = o.text('onboard-sta.log');
    assert.ok((sta.match(/obsta0: CTRL-EVENT-ASSOC-REJECT bssid=02:00:00:00:00:01 status_code=12/g) ?? []).length >= 2, 'refused with status 12, and again');
    assert.doesNotMatch(sta, /CTRL-EVENT-CONNECTED/);
    const refusals = association(o.frames(), '02:00:00:00:00:01', STA, 'association-response');
    assert.ok(refusals.length >= 2 && refusals.every((f) => f.frame!.kind === 'association-response' && f.frame!.status === 12));
  });

  it('the multi_ap 0/1/2/3 association policy: real wpa_supplicant gets from onboard ap exactly what it gets from hostapd', () => {
    const o = scenario('multi-ap-policy-matrix');
    const reference = o.text('matrix-hostapd.txt').trim().split('\n');
    const ours = o.text('matrix-onboard.txt').trim().split('\n');
    assert.equal(reference.length, 8, o.text('matrix-hostapd.txt'));
    assert.ok(reference.every((line) => !line.endsWith(' none')), `every attempt against hostapd had an outcome:\n${reference.join('\n')}`);
    assert.deepEqual(ours, reference);
    // The matrix is not trivial: somebody is refused and a backhaul STA gets four-address mode.
    assert.ok(reference.some((l) => / rejected \d+$/.test(l)) && reference.some((l) => l.endsWith('connected 4addr')), reference.join('\n'));
  });

  it('a mixed medium: real hostapd gateway, onboard extender on the backhaul, real phone on the fronthaul', () => {
    const o = scenario('mixed-medium');
    const extender = '02:00:00:00:05:00';
    assert.match(o.text('sta-status.txt'), /^ssid=multi-ap-backhaul-wps$/m);
    assert.match(o.text('sta-status.txt'), /^wpa_state=COMPLETED$/m);
    assert.match(o.text('phone-status.txt'), /^ssid=multi-ap-fronthaul-wps$/m);
    assert.match(o.text('phone-status.txt'), /^wpa_state=COMPLETED$/m);
    assert.doesNotMatch(o.text('iw-phone.txt'), /4addr: on/);
    const hostapd = o.text('hostapd.log');
    assert.match(hostapd, new RegExp(`wlan0_bh: WDS-STA-INTERFACE-ADDED ifname=wlan0_bh.sta1 sta_addr=${extender}`));
    assert.match(hostapd, new RegExp(`wlan0: EAPOL-4WAY-HS-COMPLETED ${STA}`), 'the phone');
    // The golden Credential's layout (checked against it below) with the extender's address.
    assert.deepEqual(credential('multi-ap-backhaul-wps', '87654321', STA), GOLDEN_CREDENTIAL);
    assert.deepEqual(loggedCredentials(o.text('onboard-sta.log'))[0], credential('multi-ap-backhaul-wps', '87654321', extender));
    assert.deepEqual(loggedCredentials(o.text('phone.log'))[0], credential('multi-ap-fronthaul-wps', '12345678', STA));
    const frames = o.frames();
    const talkers = new Set(frames.filter((f) => f.frame && f.frame.kind !== 'beacon').map((f) => mac(f.frame!.header.addr2)));
    for (const who of ['02:00:00:00:00:00', '02:00:00:00:00:01', extender, STA]) assert.ok(talkers.has(who), `${who} in the capture`);
    checkAcks(o);
  });
});
