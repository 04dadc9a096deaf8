/** The controller's and agent's configuration files: what is read, and every problem as FILE:LINE. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAgentConf, parseControllerConf } from '../../src/config/mesh-conf.js';

const messages = (r: { errors: readonly { message: string }[] }) => r.errors.map((e) => e.message);

describe('onboard controller configuration', () => {
  it('interfaces, AL MAC, control socket, device identity and the bss_info lines of the test harness (numbered or not)', () => {
    const r = parseControllerConf(
      Buffer.from(`# gateway
interface=eth0
interface=eth1
al_mac=02:00:00:00:c0:01
ctrl_interface=/run/onboard-controller
device_name=gateway
uuid=12345678-9abc-def0-1234-56789abcdef0
os_version=80000001
bss_info1=02:00:00:00:a0:01 8x Mesh-FH 0x0020 0x0008 fhpass123 0 1
bss_info=02:00:00:00:a0:01 8x Mesh-BH 0x0020 0x0008 bhpass123 1 0
`),
      { file: 'c.conf' },
    );
    assert.deepEqual(messages(r), []);
    assert.deepEqual(r.config.interfaces, ['eth0', 'eth1']);
    assert.equal(r.config.alMac?.toString('hex'), '02000000c001');
    assert.equal(r.config.ctrlInterface, '/run/onboard-controller');
    assert.equal(r.config.device.uuid?.toString('hex'), '123456789abcdef0123456789abcdef0');
    assert.equal(r.config.device.osVersion, 0x80000001);
    assert.deepEqual(r.config.bssInfo, [
      { line: 9, text: '02:00:00:00:a0:01 8x Mesh-FH 0x0020 0x0008 fhpass123 0 1' },
      { line: 10, text: '02:00:00:00:a0:01 8x Mesh-BH 0x0020 0x0008 bhpass123 1 0' },
    ]);
  });

  it('problems by line; no interface is an error for the whole file', () => {
    const r = parseControllerConf(Buffer.from('al_mac=01:00:00:00:00:01\nwhat\nfoo=1\nuuid=xyz\nos_version=1\n'), { file: 'c.conf' });
    assert.deepEqual(messages(r), [
      'c.conf:1: al_mac: 01:00:00:00:00:01 is a group address',
      "c.conf:2: 'what': not name=value",
      "c.conf:3: unknown option 'foo'",
      "c.conf:4: uuid: 'xyz' is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
      "c.conf:5: os_version: '1' is not 8 hex digits",
      'c.conf:0: interface= is required (the 1905 interfaces)',
    ]);
  });
});

describe('onboard agent configuration', () => {
  it('global options, then one section per radio with its RUID, band and BSS slots', () => {
    const r = parseAgentConf(
      Buffer.from(`interface=eth0
al_mac=02:00:00:00:a0:01
backhaul_sta_ctrl=/run/wpa_supplicant/wlan1
radio=wlan0
radio_mac=06:00:00:00:a0:01
band=2.4
bss_ctrl=/run/hostapd/wlan0 /run/hostapd/wlan0_1
radio=wlan2
radio_mac=0a:00:00:00:a0:01
band=5
bss_ctrl=/run/hostapd/wlan2
`),
      { file: 'a.conf' },
    );
    assert.deepEqual(messages(r), []);
    assert.equal(r.config.backhaulStaCtrl, '/run/wpa_supplicant/wlan1');
    assert.deepEqual(
      r.config.radios.map((x) => [x.name, x.ruid?.toString('hex'), x.band, x.bssCtrl]),
      [
        ['wlan0', '06000000a001', '2.4', ['/run/hostapd/wlan0', '/run/hostapd/wlan0_1']],
        ['wlan2', '0a000000a001', '5', ['/run/hostapd/wlan2']],
      ],
    );
  });

  it('problems by line: radio options outside a section, globals after one, missing radio fields', () => {
    const r = parseAgentConf(Buffer.from('interface=eth0\nband=5\nradio=wlan0\nband=7\ninterface=eth1\n'), { file: 'a.conf' });
    assert.deepEqual(messages(r), [
      'a.conf:2: band: belongs in a radio= section',
      "a.conf:4: band: '7' (2.4, 5 or 6)",
      'a.conf:5: interface: a global option after radio=wlan0; put global options first',
      'a.conf:3: radio=wlan0: radio_mac= is required (the Radio Unique Identifier)',
      'a.conf:3: radio=wlan0: band= is required (2.4, 5 or 6)',
      'a.conf:3: radio=wlan0: bss_ctrl= is required (the control sockets of its BSS slots)',
    ].sort((a, b) => Number(a.split(':')[1]) - Number(b.split(':')[1])));
  });
});
