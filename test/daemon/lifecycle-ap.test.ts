/**
 * The gateway's side of an extender's life after onboarding, on the simulated medium in virtual
 * time: RELOAD and SIGHUP, a restart, DISABLE/ENABLE, CHAN_SWITCH, the per-station WDS interface,
 * association IDs, hidden SSIDs and the operating channel. Expected behaviour from hostapd 2.10's
 * source (functions named in each test) and, for the control replies, test/vectors/hostapd-ctrl.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GATEWAY_BSSIDS, GATEWAY_CONF, createWorld, staConf } from '../../src/demo/medium-world.js';
import type { World, WorldSta } from '../../src/demo/medium-world.js';
import { simOperatingChannel } from '../../src/daemon/channels.js';
import { onboardExtender } from '../support/medium-scenes.js';
import { parseHostapdConfOrThrow } from '../../src/config/index.js';
import { dataFrame, decodeFrame, encodeFrame, findElement, ElementId, mgmtHeader, parseChannelSwitch, ssidElement } from '../../src/ieee80211/index.js';
import type { Frame } from '../../src/ieee80211/index.js';
import { BROADCAST_MAC, formatMac, parseMac } from '../../src/util/mac.js';

const EXT = '02:00:00:00:01:00';
const PHONE = '02:00:00:00:02:00';
const FRONTHAUL_NETWORK = 'network={\n\tssid="home"\n\tpsk="fronthaul-secret"\n}\n';

const connections = (events: string[]) => events.filter((e) => e.startsWith('CTRL-EVENT-CONNECTED')).length;

async function joinFronthaul(w: World, name: string, mac: string): Promise<WorldSta> {
  const sta = w.addSta(name, mac, staConf(name, FRONTHAUL_NETWORK));
  assert.equal(await sta.command('SELECT_NETWORK 0'), 'OK\n');
  w.runUntil(() => connections(sta.events) > 0, 10_000);
  assert.equal(connections(sta.events), 1, sta.events.join(' | '));
  return sta;
}

/** Frames the gateway sent from `since` (an index into w.frames), decoded. */
function gatewayFrames(w: World, since: number): Frame[] {
  return w.frames.slice(since).filter((f) => GATEWAY_BSSIDS.some((b) => b.equals(f.transmitter))).map((f) => decodeFrame(f.frame));
}

function leaves(frames: Frame[]): string[] {
  return frames.flatMap((f) => (f.kind === 'deauthentication' || f.kind === 'disassociation' ? [`${f.kind} ${formatMac(f.header.addr2)}->${formatMac(f.header.addr1)} reason ${f.reason}`] : []));
}

const bssEvents = (w: World, since: number) => w.gatewayBssEvents.slice(since).map((e) => `${e.bss} ${e.text}`);

describe('the gateway through an extender\'s life (hostapd 2.10 behaviour on the medium)', () => {
  it('RELOAD (hostapd_reload_iface → hostapd_clear_old): one broadcast Deauthentication with reason 2 per BSS, AP-STA-DISCONNECTED per station, the WDS interface removed; every station rejoins', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      const phone = await joinFronthaul(w, 'phone', PHONE);
      const frameMark = w.frames.length;
      const eventMark = w.gatewayBssEvents.length;
      ext.events.length = 0;
      assert.equal(await w.gatewayCommand('RELOAD'), 'OK\n');
      assert.deepEqual(bssEvents(w, eventMark), [
        `0 AP-STA-DISCONNECTED ${PHONE}`,
        `1 AP-STA-DISCONNECTED ${EXT}`,
        `1 WDS-STA-INTERFACE-REMOVED ifname=wlan0_1.sta1 sta_addr=${EXT}`,
      ]);
      w.clock.runUntil(w.clock.now() + 5);
      assert.deepEqual(leaves(gatewayFrames(w, frameMark)), [
        'deauthentication 02:00:00:00:0a:01->ff:ff:ff:ff:ff:ff reason 2',
        'deauthentication 02:00:00:00:0a:02->ff:ff:ff:ff:ff:ff reason 2',
      ]);
      assert.match(await w.gatewayCommand('STATUS'), /\nnum_sta\[0\]=0\nbss\[1\]=wlan0_1\n[\s\S]*\nnum_sta\[1\]=0\n$/);
      assert.equal(w.radio.station(1, ext.mac), undefined);
      // The stations hear the broadcast frame and come back by themselves.
      w.runUntil(() => connections(ext.events) === 1 && connections(phone.events) === 2, 10_000);
      assert.equal(ext.events.find((e) => e.startsWith('CTRL-EVENT-')), 'CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:0a:02 reason=2');
      assert.equal(connections(ext.events), 1, ext.events.join(' | '));
      assert.equal(connections(phone.events), 2, phone.events.join(' | '));
      const station = w.radio.station(1, ext.mac);
      assert.ok(station?.fourAddress && station.tk?.equals(ext.radio.tk!), 'back on the backhaul BSS in four-address mode, keys agree');
      assert.ok(bssEvents(w, eventMark).includes(`1 WDS-STA-INTERFACE-ADDED ifname=wlan0_1.sta1 sta_addr=${EXT}`));
    } finally {
      w.close();
    }
  });

  it('SIGHUP (hostapd_reload_config): the file is read again, the stations are flushed the same way and the new settings are on the air', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      const phone = await joinFronthaul(w, 'phone', PHONE);
      const frameMark = w.frames.length;
      w.writeGatewayConf(GATEWAY_CONF.replace('wpa_passphrase=fronthaul-secret', 'wpa_passphrase=a-new-fronthaul-secret'));
      assert.equal(await w.gateway.reloadConfig(), true);
      w.clock.runUntil(w.clock.now() + 5);
      assert.equal(leaves(gatewayFrames(w, frameMark)).length, 2);
      w.runUntil(() => connections(ext.events) === 2, 10_000);
      assert.equal(connections(ext.events), 2, 'the backhaul BSS did not change: the extender rejoins');
      // The phone still has the old passphrase: the new PMK is in force, its handshake fails (reason 15).
      w.runUntil(() => w.gatewayNotes.some((n) => n.startsWith('home:') && n.includes('four-way handshake failed')), 60_000);
      assert.ok(w.gatewayNotes.some((n) => n === `home: ${PHONE}: four-way handshake failed (timeout), deauthenticating with reason 15`), w.gatewayNotes.join('\n'));
      assert.equal(connections(phone.events), 1);
      assert.match(await w.gatewayCommand('GET_CONFIG'), /\npassphrase=a-new-fronthaul-secret\n/);
      w.writeGatewayConf('wpa=banana\n');
      assert.equal(await w.gateway.reloadConfig(), false, 'a bad file is refused');
      assert.match(await w.gatewayCommand('GET_CONFIG'), /\npassphrase=a-new-fronthaul-secret\n/);
    } finally {
      w.close();
    }
  });

  it('a restart of the gateway daemon: Deauthentication reason 3 on the way down, reason 2 at BSS start (hostapd_setup_bss); the extender rejoins by itself', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      const firstTk = Buffer.from(ext.radio.tk!);
      const frameMark = w.frames.length;
      const eventMark = w.gatewayBssEvents.length;
      w.stopGateway();
      assert.deepEqual(bssEvents(w, eventMark), [
        `1 AP-STA-DISCONNECTED ${EXT}`,
        `1 WDS-STA-INTERFACE-REMOVED ifname=wlan0_1.sta1 sta_addr=${EXT}`,
        '0 AP-DISABLED ',
        '0 CTRL-EVENT-TERMINATING ',
        '1 AP-DISABLED ',
        '1 CTRL-EVENT-TERMINATING ',
      ]);
      w.runUntil(() => false, 5_000);
      w.startGateway();
      w.clock.runUntil(w.clock.now() + 5);
      assert.deepEqual(leaves(gatewayFrames(w, frameMark)), [
        'deauthentication 02:00:00:00:0a:01->ff:ff:ff:ff:ff:ff reason 3',
        'deauthentication 02:00:00:00:0a:02->ff:ff:ff:ff:ff:ff reason 3',
        'deauthentication 02:00:00:00:0a:01->ff:ff:ff:ff:ff:ff reason 2',
        'deauthentication 02:00:00:00:0a:02->ff:ff:ff:ff:ff:ff reason 2',
      ]);
      w.runUntil(() => connections(ext.events) === 2, 60_000);
      assert.equal(connections(ext.events), 2, ext.events.join(' | '));
      const station = w.radio.station(1, ext.mac);
      assert.ok(station?.fourAddress && station.tk?.equals(ext.radio.tk!) && !station.tk.equals(firstTk), 'a fresh four-way handshake with the new gateway process');
    } finally {
      w.close();
    }
  });

  it('DISABLE / ENABLE (hostapd_disable_iface / hostapd_enable_iface): AP-DISABLED, Deauthentication reason 3, no Beacons; then Beacons, reason 2 at BSS start, AP-ENABLED; the extender rejoins', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      const frameMark = w.frames.length;
      const eventMark = w.gatewayBssEvents.length;
      assert.equal(await w.gatewayCommand('DISABLE'), 'OK\n');
      assert.equal(await w.gatewayCommand('DISABLE'), 'FAIL\n');
      assert.match(await w.gatewayCommand('STATUS'), /^state=DISABLED\n/);
      w.runUntil(() => false, 2_000);
      const whileDisabled = gatewayFrames(w, frameMark);
      assert.deepEqual(leaves(whileDisabled), [
        'deauthentication 02:00:00:00:0a:01->ff:ff:ff:ff:ff:ff reason 3',
        'deauthentication 02:00:00:00:0a:02->ff:ff:ff:ff:ff:ff reason 3',
      ]);
      assert.equal(whileDisabled.filter((f) => f.kind === 'beacon').length, 0, 'off the air');
      assert.equal(await w.gatewayCommand('ENABLE'), 'OK\n');
      assert.equal(await w.gatewayCommand('ENABLE'), 'FAIL\n');
      w.runUntil(() => connections(ext.events) === 2, 60_000);
      assert.equal(connections(ext.events), 2, ext.events.join(' | '));
      assert.deepEqual(bssEvents(w, eventMark).filter((e) => !e.includes('WDS-STA-INTERFACE-ADDED') && !e.includes('AP-STA-CONNECTED')), [
        '0 AP-DISABLED ',
        `1 AP-STA-DISCONNECTED ${EXT}`,
        `1 WDS-STA-INTERFACE-REMOVED ifname=wlan0_1.sta1 sta_addr=${EXT}`,
        '0 AP-ENABLED ',
      ]);
      assert.ok(leaves(gatewayFrames(w, frameMark)).includes('deauthentication 02:00:00:00:0a:02->ff:ff:ff:ff:ff:ff reason 2'));
      // ENABLE sets the radio up from the in-memory configuration: SET channel takes effect there.
      assert.equal(await w.gatewayCommand('SET channel 11'), 'OK\n');
      assert.equal(await w.gatewayCommand('DISABLE'), 'OK\n');
      assert.equal(await w.gatewayCommand('ENABLE'), 'OK\n');
      assert.match(await w.gatewayCommand('STATUS'), /\nfreq=2462\n[\s\S]*\nchannel=11\n/);
    } finally {
      w.close();
    }
  });

  it('STOP_AP on the backhaul BSS (hostapd_ctrl_iface_stop_ap → the driver\'s stop_ap): that BSS alone leaves the air and its extender is gone; the fronthaul BSS keeps beaconing; RELOAD (ieee802_11_set_beacon) brings it back and the extender rejoins', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      const frameMark = w.frames.length;
      const eventMark = w.gatewayBssEvents.length;
      assert.equal(await w.gatewayCommand('STOP_AP', 1), 'OK\n');
      assert.equal(w.radio.station(1, ext.mac), undefined);
      w.runUntil(() => false, 2_000);
      const stopped = gatewayFrames(w, frameMark).filter((f) => f.kind === 'beacon').map((f) => formatMac(f.header.addr2));
      assert.ok(stopped.length >= 15, 'the fronthaul BSS beacons on');
      assert.deepEqual([...new Set(stopped)], [formatMac(GATEWAY_BSSIDS[0]!)]);
      // mac80211 flushes the stations without a frame; hostapd reports nothing for STOP_AP.
      assert.deepEqual(leaves(gatewayFrames(w, frameMark)), []);
      assert.equal(await w.gatewayCommand('RELOAD'), 'OK\n');
      const reloadMark = w.frames.length;
      w.runUntil(() => connections(ext.events) === 2, 60_000);
      assert.equal(connections(ext.events), 2, ext.events.join(' | '));
      const back = gatewayFrames(w, reloadMark).filter((f) => f.kind === 'beacon').map((f) => formatMac(f.header.addr2));
      assert.ok(back.includes(formatMac(GATEWAY_BSSIDS[1]!)), 'the backhaul BSS beacons again');
      assert.ok(bssEvents(w, eventMark).includes(`1 AP-STA-CONNECTED ${EXT}`));
    } finally {
      w.close();
    }
  });

  it('CHAN_SWITCH 5 2412: Beacons carry the Channel Switch Announcement counting down, the radio moves, the events of 2.10 on both BSSs, and the extender follows without losing its link', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      ext.events.length = 0;
      const frameMark = w.frames.length;
      const eventMark = w.gatewayBssEvents.length;
      assert.equal(await w.gatewayCommand('CHAN_SWITCH 5 5180'), 'FAIL\n', 'a 5 GHz channel with hw_mode=b');
      assert.equal(await w.gatewayCommand('CHAN_SWITCH 5 2412'), 'OK\n');
      assert.equal(await w.gatewayCommand('CHAN_SWITCH 5 2462'), 'FAIL\n', 'a switch is under way');
      w.runUntil(() => false, 2_000);
      const counts = gatewayFrames(w, frameMark).flatMap((f) => (f.kind === 'beacon' && f.header.addr2.equals(GATEWAY_BSSIDS[1]!) ? [parseChannelSwitch(f.elements)?.count ?? 'none'] : []));
      assert.deepEqual(counts.slice(0, 6), [5, 4, 3, 2, 1, 'none']);
      const details = 'freq=2412 ht_enabled=0 ch_offset=0 ch_width=20 MHz (no HT) cf1=2412 cf2=0 dfs=0';
      assert.deepEqual(bssEvents(w, eventMark), [
        `0 CTRL-EVENT-STARTED-CHANNEL-SWITCH ${details}`,
        `1 CTRL-EVENT-STARTED-CHANNEL-SWITCH ${details}`,
        `0 CTRL-EVENT-CHANNEL-SWITCH ${details}`,
        '0 AP-CSA-FINISHED freq=2412 dfs=0',
        `1 CTRL-EVENT-CHANNEL-SWITCH ${details}`,
        '1 AP-CSA-FINISHED freq=2412 dfs=0',
      ]);
      assert.match(await w.gatewayCommand('STATUS'), /\nfreq=2412\n[\s\S]*\nchannel=1\n/);
      assert.ok(w.frames.slice(frameMark).filter((f) => f.transmitter.equals(GATEWAY_BSSIDS[0]!)).at(-1)?.channel === 1);
      w.runUntil(() => false, 40_000);
      assert.deepEqual(ext.events.filter((e) => e.startsWith('CTRL-EVENT-')), [
        'CTRL-EVENT-STARTED-CHANNEL-SWITCH freq=2412 ht_enabled=0 ch_offset=0 ch_width=20 MHz (no HT) cf1=2412 cf2=0',
        'CTRL-EVENT-CHANNEL-SWITCH freq=2412 ht_enabled=0 ch_offset=0 ch_width=20 MHz (no HT) cf1=2412 cf2=0',
      ]);
      assert.match(await ext.command('STATUS'), /\nfreq=2412\n/);
      const gatewayData = w.gatewayData.length;
      ext.radio.sendData(0x0800, Buffer.from('4500', 'hex'), GATEWAY_BSSIDS[1], parseMac('02:00:00:00:77:77'));
      w.clock.runUntil(w.clock.now() + 10);
      assert.deepEqual(w.gatewayData.slice(gatewayData).map((d) => d.wds), [true], 'four-address data still reaches the gateway');
    } finally {
      w.close();
    }
  });

  it('WDS interface (handle_assoc_cb → hostapd_set_wds_sta): none for the WPS association on the fronthaul (after hostap a1601aaa6), <bss>.sta<aid> for the backhaul association, removed after AP-STA-DISCONNECTED', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      assert.deepEqual(w.gatewayBssEvents.filter((e) => e.text.startsWith('WDS-STA-')), [{ bss: 1, text: `WDS-STA-INTERFACE-ADDED ifname=wlan0_1.sta1 sta_addr=${EXT}` }]);
      // ap_sta_flags_txt prints [WDS] for WLAN_STA_WDS only, not for the Multi-AP flag; aid from hostapd_ctrl_iface_sta_mib.
      assert.match(await w.gatewayCommand(`STA ${EXT}`, 1), /^02:00:00:00:01:00\nflags=\[AUTH\]\[ASSOC\]\[AUTHORIZED\]\naid=1\n/);
      const mark = w.gatewayBssEvents.length;
      assert.equal(await w.gatewayCommand(`DEAUTHENTICATE ${EXT}`, 1), 'OK\n');
      w.clock.runUntil(w.clock.now() + 5);
      assert.deepEqual(bssEvents(w, mark).slice(0, 2), [`1 AP-STA-DISCONNECTED ${EXT}`, `1 WDS-STA-INTERFACE-REMOVED ifname=wlan0_1.sta1 sta_addr=${EXT}`]);
      void ext;
    } finally {
      w.close();
    }
  });

  it('wds_sta=1 (ieee802_11_rx_from_unknown): a station that sends a four-address frame gets four-address mode, [WDS], its interface and wds_sta_ifname; its next four-address frames are delivered', async () => {
    const w = createWorld({ gatewayConf: GATEWAY_CONF.replace('multi_ap=2\n', 'multi_ap=2\nwds_sta=1\n') });
    try {
      const phone = await joinFronthaul(w, 'phone', PHONE);
      const bssid = GATEWAY_BSSIDS[0]!;
      const send = (sequence: number) => {
        const frame = dataFrame({ kind: 'wds', ra: bssid, ta: phone.mac, da: parseMac('02:00:00:00:88:88'), sa: parseMac('02:00:00:00:77:77') }, 0x0800, Buffer.from('4500', 'hex'), sequence);
        w.radio.receive(encodeFrame(frame));
      };
      send(100);
      assert.deepEqual(w.gatewayBssEvents.filter((e) => e.text.startsWith('WDS-STA-')), [{ bss: 0, text: `WDS-STA-INTERFACE-ADDED ifname=wlan0.sta1 sta_addr=${PHONE}` }]);
      const sta = await w.gatewayCommand(`STA ${PHONE}`);
      assert.match(sta, /\nflags=\[AUTH\]\[ASSOC\]\[AUTHORIZED\]\[WDS\]\naid=1\n/);
      assert.match(sta, /\nwds_sta_ifname=wlan0.sta1\n$/);
      send(101);
      assert.deepEqual(w.gatewayData.map((d) => [formatMac(d.from), d.wds]), [['02:00:00:00:77:77', true]]);
    } finally {
      w.close();
    }
  });

  it('association IDs: the lowest free one (hostapd_get_aid), a freed AID is given again', async () => {
    const w = createWorld();
    try {
      const first = await joinFronthaul(w, 'first', '02:00:00:00:03:00');
      await joinFronthaul(w, 'second', '02:00:00:00:04:00');
      assert.match(await w.gatewayCommand('STA 02:00:00:00:04:00'), /\naid=2\n/);
      assert.equal(await first.command('DISCONNECT'), 'OK\n');
      w.runUntil(() => false, 1_000);
      await joinFronthaul(w, 'third', '02:00:00:00:05:00');
      assert.match(await w.gatewayCommand('STA 02:00:00:00:05:00'), /\naid=1\n/);
    } finally {
      w.close();
    }
  });

  it('ignore_broadcast_ssid=1 and 2: Beacons without the SSID (empty, or zeros), no answer to wildcard Probe Requests, an answer with the SSID to a directed one', () => {
    for (const mode of [1, 2]) {
      const w = createWorld({ gatewayConf: GATEWAY_CONF.replace('ssid=home\n', `ssid=home\nignore_broadcast_ssid=${mode}\nwps_state=0\n`).replace(/\nwps_state=2\n/, '\n') });
      try {
        const prober = parseMac('02:00:00:00:06:00');
        const port = w.medium.attach({ mac: prober, channel: 6 }, () => {});
        const probe = (ssid: string) => port.send(encodeFrame({ kind: 'probe-request', header: mgmtHeader('probe-request', BROADCAST_MAC, prober, BROADCAST_MAC, 1), elements: [ssidElement(Buffer.from(ssid))] }));
        const mark = w.frames.length;
        probe('');
        w.runUntil(() => false, 300);
        const afterWildcard = gatewayFrames(w, mark);
        const ssidOf = (f: Frame) => (f.kind === 'beacon' || f.kind === 'probe-response' ? findElement(f.elements, ElementId.Ssid)?.data.toString('hex') : undefined);
        const beacons = afterWildcard.filter((f) => f.kind === 'beacon' && f.header.addr2.equals(GATEWAY_BSSIDS[0]!));
        assert.ok(beacons.length > 0);
        assert.ok(beacons.every((f) => ssidOf(f) === (mode === 1 ? '' : '00000000')), `hidden SSID in Beacons (mode ${mode})`);
        assert.deepEqual(afterWildcard.filter((f) => f.kind === 'probe-response').map((f) => formatMac(f.header.addr2)), ['02:00:00:00:0a:02'], 'only the visible BSS answers');
        const directed = w.frames.length;
        probe('home');
        w.runUntil(() => false, 50);
        assert.deepEqual(gatewayFrames(w, directed).filter((f) => f.kind === 'probe-response').map((f) => [formatMac(f.header.addr2), ssidOf(f)]), [['02:00:00:00:0a:01', Buffer.from('home').toString('hex')]]);
        port.detach();
      } finally {
        w.close();
      }
    }
  });

  it('a hidden fronthaul: a STA with scan_ssid=1 sends a directed Probe Request and connects; without it the Probe Request is wildcard and the AP stays unseen', async () => {
    const hidden = GATEWAY_CONF.replace('ssid=home\n', 'ssid=home\nignore_broadcast_ssid=1\n').replace(/\nwps_state=2\n/, '\n');
    const w = createWorld({ gatewayConf: hidden });
    try {
      const plain = w.addSta('plain', '02:00:00:00:07:00', staConf('plain', FRONTHAUL_NETWORK));
      await plain.command('SELECT_NETWORK 0');
      w.runUntil(() => false, 10_000);
      assert.equal(connections(plain.events), 0, 'wpa_supplicant cannot match a Beacon without the SSID');
      const probes = (mac: Buffer) => w.frames.filter((f) => f.transmitter.equals(mac) && f.frame[0] === 0x40).map((f) => decodeFrame(f.frame)).map((f) => (f.kind === 'probe-request' ? findElement(f.elements, ElementId.Ssid)?.data.toString() : undefined));
      assert.ok(probes(plain.mac).length > 0 && probes(plain.mac).every((ssid) => ssid === ''), 'wildcard Probe Requests');
      plain.radio.stop();
      const scanning = w.addSta('scanning', '02:00:00:00:08:00', staConf('scanning', FRONTHAUL_NETWORK.replace('\tpsk=', '\tscan_ssid=1\n\tpsk=')));
      await scanning.command('SELECT_NETWORK 0');
      w.runUntil(() => connections(scanning.events) > 0, 10_000);
      assert.match(scanning.events.find((e) => e.startsWith('CTRL-EVENT-CONNECTED')) ?? scanning.events.join(' | '), /Connection to 02:00:00:00:0a:01 completed/);
      assert.deepEqual(probes(scanning.mac).slice(0, 2), ['', 'home'], 'the wildcard and the directed Probe Request');
    } finally {
      w.close();
    }
  });

  it('channel= and hw_mode on the medium: hw_mode=a channel=36 runs at 5180 MHz, STATUS says so, a STA on that channel connects', async () => {
    const conf = GATEWAY_CONF.replace('channel=6\n', 'hw_mode=a\nchannel=36\n');
    const w = createWorld({ gatewayConf: conf });
    try {
      assert.match(await w.gatewayCommand('STATUS'), /^state=ENABLED\nphy=wlan0\nfreq=5180\n[\s\S]*\nchannel=36\n/);
      assert.ok(w.frames.filter((f) => f.transmitter.equals(GATEWAY_BSSIDS[0]!)).every((f) => f.channel === 36));
      const sta = w.addSta('phone', PHONE, staConf('phone', FRONTHAUL_NETWORK), { channel: 36 });
      await sta.command('SELECT_NETWORK 0');
      w.runUntil(() => connections(sta.events) > 0, 10_000);
      assert.equal(connections(sta.events), 1, sta.events.join(' | '));
      assert.match(await sta.command('STATUS'), /\nfreq=5180\n/);
    } finally {
      w.close();
    }
  });

  it('the operating channel as hostapd_select_hw_mode picks it: the file\'s channel, automatic selection for channel=0, refusal outside the band of hw_mode', () => {
    const radio = (text: string) => parseHostapdConfOrThrow(`interface=wlan0\nssid=x\n${text}`).config.radio;
    assert.equal(simOperatingChannel(radio('channel=1\n'), 6), 1);
    assert.equal(simOperatingChannel(radio('hw_mode=g\nchannel=0\n'), 11), 11);
    assert.equal(simOperatingChannel(radio('hw_mode=a\nchannel=acs_survey\n'), 6), 36);
    assert.equal(simOperatingChannel(radio('hw_mode=b\nchannel=14\n'), undefined), 14);
    assert.match(String(simOperatingChannel(radio('hw_mode=g\nchannel=14\n'), undefined)), /Configured channel \(14\) not found/);
    assert.match(String(simOperatingChannel(radio('hw_mode=a\nchannel=6\n'), undefined)), /Configured channel \(6\) not found/);
    assert.match(String(simOperatingChannel(radio('channel=36\n'), undefined)), /hw_mode=b/);
    assert.match(String(simOperatingChannel(radio('hw_mode=ad\nchannel=2\n'), undefined)), /not supported/);
  });
});
