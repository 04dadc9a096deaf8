/**
 * tshark (Debian package) over the capture of `onboard demo --pcap`: every frame dissects without
 * a malformed-packet or error expert item, the WPS IE (Beacons, Probe Requests and Responses) and
 * Multi-AP element fields decode, EAP-WSC
 * M1..M8 are there with the Multi-AP extension in M1, and the four-way handshakes are complete;
 * every IEEE 1905.1 CMDU of the EasyMesh part decodes, with the WSC M1/M2 inside.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireTools } from '../support/interop.js';

const bin = fileURLToPath(new URL('../../../bin/onboard.js', import.meta.url));

/** The named fields of every frame of `pcap` that passes the display filter, one array per frame. */
function tsharkFields(pcap: string, filter: string, names: string[]): string[][] {
  return execFileSync('tshark', ['-r', pcap, '-Y', filter, '-T', 'fields', ...names.flatMap((n) => ['-e', n])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

describe('tshark over the demo capture', () => {
  let dir: string;
  let pcap: string;
  let stdout: string;
  const fields = (filter: string, ...names: string[]) => tsharkFields(pcap, filter, names);

  before(() => {
    requireTools('tshark');
    dir = mkdtempSync(join(tmpdir(), 'onboard-tshark-'));
    pcap = join(dir, 'demo.pcap');
    const result = spawnSync(process.execPath, [bin, 'demo', '--pcap', pcap], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    stdout = result.stdout;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('no malformed frames and no error expert items; every frame is 802.11 with radiotap', () => {
    assert.deepEqual(fields('_ws.malformed || _ws.expert.severity == error', 'frame.number'), []);
    const all = fields('frame', 'frame.protocols');
    assert.ok(all.length > 100);
    assert.ok(all.every(([p]) => p!.startsWith('radiotap:wlan_radio:wlan')), 'radiotap + 802.11 on every frame');
  });

  it('the WPS IE: Selected Registrar with the PBC password ID in the fronthaul BSS', () => {
    const rows = fields('wps.selected_registrar == 1', 'wlan.sa', 'wps.device_password_id');
    assert.ok(rows.length > 0);
    // The gateway's fronthaul, and the extender's once its Agent brought it up.
    assert.ok(rows.every(([sa, id]) => (sa === '02:00:00:00:0a:01' || sa === '02:00:00:00:1a:01') && id === '0x0004'));
    assert.ok(rows.some(([sa]) => sa === '02:00:00:00:1a:01'));
  });

  it('Beacons: WPS IE (Configured, Selected Registrar Config Methods while PBC runs) on the fronthaul BSS only; Multi-AP element 0x20 / 0x40', () => {
    const beacons = fields('wlan.fc.type_subtype == 8', 'wlan.sa', 'wps.wifi_protected_setup_state', 'wps.ext.multi_ap_flags', 'wps.selected_registrar_config_methods');
    const fronthaul = beacons.filter(([sa]) => sa === '02:00:00:00:0a:01');
    const backhaul = beacons.filter(([sa]) => sa === '02:00:00:00:0a:02');
    assert.ok(fronthaul.length > 10 && backhaul.length > 10);
    assert.ok(fronthaul.every(([, state, flags]) => state === '0x02' && flags === '0x20'));
    // virtual_push_button keypad display, with WSC 2.0's virtual display: 0x2388.
    assert.ok(fronthaul.some(([, , , methods]) => methods === '0x2388'), 'Selected Registrar Config Methods while PBC is active');
    assert.ok(backhaul.every(([, state, flags]) => !state && flags === '0x40'), 'no WPS IE on the backhaul BSS, Multi-AP 0x40');
  });

  it('Probe Requests carry the Enrollee\'s WPS IE; Probe Responses the AP\'s UUID-E, device attributes and Config Methods', () => {
    const requests = fields('wlan.fc.type_subtype == 4 && wps.request_type', 'wlan.sa', 'wps.request_type', 'wps.uuid_e', 'wps.device_password_id', 'wps.device_name', 'wps.config_methods');
    // The five WPS runs: extender and phone on the gateway; phone, extender2, phone on the extender.
    assert.deepEqual(requests.map(([sa, type, uuid, id, name]) => [sa, type, uuid!.length, id, name]), [
      ['02:00:00:00:01:00', '0x01', 32, '0x0004', 'extender'],
      ['02:00:00:00:02:00', '0x01', 32, '0x0004', 'phone'],
      ['02:00:00:00:02:00', '0x01', 32, '0x0004', 'phone'],
      ['02:00:00:00:04:00', '0x01', 32, '0x0004', 'extender2'],
      ['02:00:00:00:02:00', '0x01', 32, '0x0004', 'phone'],
    ]);
    const responses = fields('wlan.fc.type_subtype == 5 && wps.response_type', 'wlan.sa', 'wps.response_type', 'wps.uuid_e', 'wps.device_name', 'wps.manufacturer', 'wps.model_name', 'wps.config_methods');
    // The gateway's fronthaul, and each extender's once its Agent brought it up (a UUID from its AL MAC).
    const aps: Record<string, string[]> = {
      '02:00:00:00:0a:01': ['123456789abcdef0123456789abcdef0', 'gateway'],
      '02:00:00:00:1a:01': ['000000000000000000000200000001ff', 'extender'],
      '02:00:00:00:4a:01': ['000000000000000000000200000004ff', 'extender2'],
    };
    assert.deepEqual(new Set(responses.map(([sa]) => sa)), new Set(Object.keys(aps)));
    for (const row of responses) {
      const [uuid, name] = aps[row[0]!]!;
      // Config Methods as an Enrollee: the push-button bits are left out (wps_registrar.c wps_set_ie).
      assert.deepEqual(row, [row[0], '0x03', uuid, name, 'onboard', name, '0x2108']);
    }
  });

  it('the Multi-AP element: 0x80 from the extenders, 0x20 from a fronthaul and 0x40 from a backhaul BSS in association responses', () => {
    const requests = fields('wlan.fc.type_subtype == 0 && wps.ext.multi_ap_flags', 'wlan.sa', 'wlan.da', 'wps.ext.multi_ap_flags');
    // extender: WPS on the gateway's fronthaul, then its backhaul; extender2 the same on the
    // extender's, and its backhaul again after the extender's reload.
    assert.deepEqual(requests, [
      ['02:00:00:00:01:00', '02:00:00:00:0a:01', '0x80'],
      ['02:00:00:00:01:00', '02:00:00:00:0a:02', '0x80'],
      ['02:00:00:00:04:00', '02:00:00:00:1a:01', '0x80'],
      ['02:00:00:00:04:00', '02:00:00:00:1a:02', '0x80'],
      ['02:00:00:00:04:00', '02:00:00:00:1a:02', '0x80'],
    ]);
    const responses = fields('wlan.fc.type_subtype == 1 && wps.ext.multi_ap_flags', 'wlan.sa', 'wps.ext.multi_ap_flags');
    assert.deepEqual(responses, [
      ['02:00:00:00:0a:01', '0x20'],
      ['02:00:00:00:0a:02', '0x40'],
      ['02:00:00:00:1a:01', '0x20'],
      ['02:00:00:00:1a:02', '0x40'],
      ['02:00:00:00:1a:02', '0x40'],
    ]);
    // The legacy STA, refused again on each retry while the rest of the story runs.
    const refused = fields('wlan.fixed.status_code == 12', 'wlan.da');
    assert.ok(refused.length >= 1 && refused.every(([da]) => da === '02:00:00:00:03:00'));
  });

  it('EAP-WSC M1..M8 for every registration, the Multi-AP extension only in the extenders\' M1', () => {
    const messages = fields('eapol && wps.message_type', 'wlan.sa', 'wps.message_type', 'wps.ext.multi_ap_flags');
    const types = messages.map(([, t]) => t);
    const expected = ['0x04', '0x05', '0x07', '0x08', '0x09', '0x0a', '0x0b', '0x0c', '0x0f'];
    // extender and phone with the gateway; phone, extender2, phone again with the extender.
    assert.deepEqual(types, [...expected, ...expected, ...expected, ...expected, ...expected]);
    const m1 = messages.filter(([, t]) => t === '0x04');
    assert.deepEqual(m1.map(([sa, , ext]) => [sa, ext]), [
      ['02:00:00:00:01:00', '0x80'],
      ['02:00:00:00:02:00', ''],
      ['02:00:00:00:02:00', ''],
      ['02:00:00:00:04:00', '0x80'],
      ['02:00:00:00:02:00', ''],
    ]);
  });

  it('the four-way handshakes: messages 1 to 4 for the extender and the phone on the gateway; on the extender, the phone\'s old key gets no further than message 2', () => {
    const keys = fields('eapol.type == 3', 'wlan.sa', 'wlan.da', 'wlan_rsna_eapol.keydes.msgnr');
    assert.deepEqual(keys.slice(0, 8).map(([, , n]) => n), ['1', '2', '3', '4', '1', '2', '3', '4']);
    const between = (ap: string, sta: string) => keys.filter(([sa, da]) => (sa === ap && da === sta) || (sa === sta && da === ap)).map(([, , n]) => n).join('');
    // phone: with the first key, refused after the new configuration (1/2 four times), then with the new key.
    assert.equal(between('02:00:00:00:1a:01', '02:00:00:00:02:00'), '1234' + '12'.repeat(4) + '1234');
    // extender2: onboarded, then again after the extender's reload.
    assert.equal(between('02:00:00:00:1a:02', '02:00:00:00:04:00'), '12341234');
  });

  it('every 1905 CMDU decodes (ieee1905 over LLC/SNAP 0x893A, four-address frames), with the WSC inside', () => {
    const cmdus = fields('ieee1905', 'wlan.fc.ds', 'wlan.ta', 'wlan.ra', 'wlan.sa', 'wlan.da', 'ieee1905.message_type', 'ieee1905.relay_indicator', 'wps.message_type', 'wps.mac_address');
    assert.equal(cmdus.length, fields('llc.type == 0x893a', 'frame.number').length, 'every 0x893A frame is a CMDU tshark decodes');
    assert.ok(cmdus.length >= 30);
    assert.ok(cmdus.every(([ds]) => ds === '0x03'), 'all on four-address links');
    // extender2's Search: sent once by extender2, relayed once by the extender to the gateway.
    const searches = cmdus.filter(([, , , sa, , type]) => type === '0x0007' && sa === '02:00:00:00:04:ff');
    assert.deepEqual(searches.map(([, ta, ra, , , , relay]) => [ta, ra, relay]), [
      ['02:00:00:00:04:00', '02:00:00:00:1a:02', '1'],
      ['02:00:00:00:01:00', '02:00:00:00:0a:02', '1'],
    ]);
    // M1 from each Agent, with its AL MAC as the M1's MAC Address; two M2s (one per BSS) in each answer.
    const wsc = cmdus.filter(([, , , , , type]) => type === '0x0009');
    const m1 = wsc.filter(([, , , , , , , m]) => m === '0x04');
    assert.ok(m1.length >= 4 && m1.every(([, , , sa, , , , , mac]) => sa === mac && (sa === '02:00:00:00:01:ff' || sa === '02:00:00:00:04:ff')));
    const m2 = wsc.filter(([, , , sa]) => sa === '02:00:00:00:0a:00');
    assert.ok(m2.length >= 4 && m2.every(([, , , , , , , m]) => m === '0x05,0x05'));
    // The Renew goes down both hops.
    const renews = cmdus.filter(([, , , , , type]) => type === '0x000a');
    assert.deepEqual(renews.map(([, ta, ra]) => [ta, ra]), [
      ['02:00:00:00:0a:02', '02:00:00:00:01:00'],
      ['02:00:00:00:1a:02', '02:00:00:00:04:00'],
    ]);
  });

  it('the command printed next to the capture path, run as printed, lists every frame but the Beacons', () => {
    const command = /^ {2}without the Beacons: (tshark .+)$/m.exec(stdout)?.[1];
    assert.ok(command, stdout.slice(-400));
    const shown = /^sequence of frames \((\d+) shown, (\d+) Beacons left out\)/m.exec(stdout);
    assert.ok(shown);
    const listed = execFileSync('sh', ['-c', command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
    assert.equal(listed.length, Number(shown[1]));
    assert.ok(listed.every((line) => !/ Beacon frame/.test(line)));
    assert.equal(fields('frame', 'frame.number').length, Number(shown[1]) + Number(shown[2]));
  });
});

/** The same over the capture of `onboard demo --wired --pcap` (Ethernet, link type 1). */
describe('tshark over the wired demo capture', () => {
  let dir: string;
  let pcap: string;
  const fields = (filter: string, ...names: string[]) => tsharkFields(pcap, filter, names);

  before(() => {
    requireTools('tshark');
    dir = mkdtempSync(join(tmpdir(), 'onboard-tshark-wired-'));
    pcap = join(dir, 'wired.pcap');
    const result = spawnSync(process.execPath, [bin, 'demo', '--wired', '--pcap', pcap], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('every frame is Ethernet + EAPOL, none malformed, no error expert item', () => {
    assert.deepEqual(fields('_ws.malformed || _ws.expert.severity == error', 'frame.number'), []);
    const all = fields('frame', 'frame.protocols');
    assert.ok(all.length > 20);
    assert.ok(all.every(([p]) => p!.startsWith('eth:ethertype:eapol')), all.map(([p]) => p).join(' '));
  });

  it('EAPOL-Start, EAP Identity, EAP-WSC M1..M8 and WSC_Done for both Enrollees, the Multi-AP extension in the extender\'s M1 only, then EAP-Failure', () => {
    assert.deepEqual(fields('eapol.type == 1', 'eth.src'), [['02:00:00:00:01:00'], ['02:00:00:00:02:00']]);
    const messages = fields('wps.message_type', 'eth.src', 'wps.message_type', 'wps.ext.multi_ap_flags');
    const expected = ['0x04', '0x05', '0x07', '0x08', '0x09', '0x0a', '0x0b', '0x0c', '0x0f'];
    assert.deepEqual(messages.map(([, t]) => t), [...expected, ...expected]);
    assert.deepEqual(messages.filter(([, t]) => t === '0x04').map(([sa, , ext]) => [sa, ext]), [
      ['02:00:00:00:01:00', '0x80'],
      ['02:00:00:00:02:00', ''],
    ]);
    assert.deepEqual(fields('eap.code == 4', 'eth.dst'), [['02:00:00:00:01:00'], ['02:00:00:00:02:00']]);
    // The credentials travel encrypted in M8; the SSIDs in the clear are the radio demo's (M1/M2 device names).
    assert.deepEqual(fields('wps.message_type == 0x05', 'wps.device_name'), [['gateway'], ['gateway']]);
  });
});
