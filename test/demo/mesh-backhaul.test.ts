/**
 * The medium side of EasyMesh: 1905 frames (LLC/SNAP, ethertype 0x893A) over four-address
 * backhaul links, an extender's AP bringing up the BSSs its Agent was given, and a second
 * extender out of the gateway's reach onboarding through the first (daisy chain), with each
 * device's bridge carrying frames across.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EthernetFrame } from '../../src/eap/ethernet.js';
import { DEMO_EXTENDERS, GATEWAY_AL_MAC, GATEWAY_CONF, GATEWAY_BSSIDS, createWorld, staConf } from '../../src/demo/medium-world.js';
import type { World, WorldExtender } from '../../src/demo/medium-world.js';
import type { ConfiguredBss } from '../../src/demo/extender-ap.js';
import { decodeFrame, FcFlag } from '../../src/ieee80211/frames.js';
import { IEEE1905_ETHERTYPE, IEEE1905_MULTICAST } from '../../src/ieee1905/cmdu.js';
import { formatMac } from '../../src/util/mac.js';
import type { AlEvent } from '../../src/ieee1905/al-entity.js';
import { MessageType } from '../../src/ieee1905/cmdu.js';
import { bareAlHost } from '../../src/demo/mesh-host.js';
import { systemRng } from '../../src/util/rng.js';

const connected = (events: string[]) => events.find((e) => e.startsWith('CTRL-EVENT-CONNECTED'));

const EXTENDER1 = DEMO_EXTENDERS.extender;
const EXTENDER2 = DEMO_EXTENDERS.extender2;

const HOME_BSSES = (fronthaulKey = 'fronthaul-secret'): ConfiguredBss[] => [
  { ssid: Buffer.from('home'), authType: 0x0020, encrType: 0x0008, networkKey: Buffer.from(fronthaulKey), multiApExtension: 0x20 },
  { ssid: Buffer.from('home-backhaul'), authType: 0x0020, encrType: 0x0008, networkKey: Buffer.from('backhaul-secret-42'), multiApExtension: 0x40 },
];

/** WPS_PBC on `registrar` and WPS_PBC multi_ap=1 on the extender; until it is connected. */
async function onboard(w: World, extender: WorldExtender, pushButton: () => Promise<string>): Promise<void> {
  assert.equal(await pushButton(), 'OK\n');
  assert.equal(await extender.sta.command('WPS_PBC multi_ap=1'), 'OK\n');
  w.runUntil(() => connected(extender.sta.events) !== undefined, 60_000);
  await extender.sta.daemon.settled();
  assert.ok(connected(extender.sta.events), extender.sta.events.join('\n'));
}

describe('EasyMesh on the simulated medium: four-address backhaul, bridges, daisy chain', () => {
  it('a 1905 frame crosses two backhaul hops byte for byte, as LLC/SNAP 0x893A data frames in four-address form', async () => {
    const w = createWorld();
    try {
      const gatewayIn: { port: string; frame: EthernetFrame }[] = [];
      w.onGatewayCmdu = (port, frame) => gatewayIn.push({ port, frame });
      const e1 = w.addExtender('extender1', { ...EXTENDER1, conf: staConf('extender1') });
      await onboard(w, e1, () => w.gatewayCommand('WPS_PBC'));
      assert.match(connected(e1.sta.events)!, new RegExp(formatMac(GATEWAY_BSSIDS[1]!)));

      assert.equal(e1.configure(HOME_BSSES()), 'started');
      w.runUntil(() => false, 500);
      assert.deepEqual(e1.ap!.daemon.ifnames, ['wlan0', 'wlan0_1']);
      assert.match(e1.ap!.conf, /bss=wlan0_1\nssid=home-backhaul\n/);

      // The second extender hears the first one only.
      const e2 = w.addExtender('extender2', { ...EXTENDER2, conf: staConf('extender2'), outOfReachOf: [GATEWAY_BSSIDS[0]!] });
      await onboard(w, e2, () => e1.ap!.daemon.handle({ client: '', command: 'WPS_PBC', args: [], raw: 'WPS_PBC' }));
      assert.match(connected(e2.sta.events)!, new RegExp(`Connection to ${formatMac(EXTENDER1.bssids[1])} completed`));
      assert.match(e2.sta.savedConf(), /ssid="home-backhaul"[\s\S]*multi_ap_backhaul_sta=1/);
      assert.equal(e2.sta.radio.fourAddress, true);

      // extender2's host sends a relayed-multicast-like frame; extender1's host gets it on the
      // backhaul BSS's four-address interface, and forwards it up its own backhaul, unchanged.
      const extender1In: { port: string; frame: EthernetFrame }[] = [];
      e1.onCmdu = (port, frame) => {
        extender1In.push({ port, frame });
        e1.bridge.send(frame, 'extender1');
      };
      const payload = Buffer.from('000000070001008001000602000000040000', 'hex');
      const fromCapture = w.frames.length;
      assert.ok(e2.bridge.send({ dst: IEEE1905_MULTICAST, src: EXTENDER2.alMac, etherType: IEEE1905_ETHERTYPE, payload }));
      w.runUntil(() => gatewayIn.length > 0, 1_000);
      assert.deepEqual(extender1In.map((x) => x.port), ['wlan0_1.sta1']);
      assert.deepEqual(gatewayIn.map((x) => [x.port, formatMac(x.frame.src), formatMac(x.frame.dst)]), [['wlan0_1.sta1', formatMac(EXTENDER2.alMac), '01:80:c2:00:00:13']]);
      assert.ok(gatewayIn[0]!.frame.payload.equals(payload));

      // The gateway answers extender2's AL MAC; its bridge learnt that address on extender1's port,
      // and extender1's bridge forwards it down to extender2.
      const extender2In: EthernetFrame[] = [];
      e2.onCmdu = (_port, frame) => extender2In.push(frame);
      const answer = Buffer.from('000000080001008001000602000000040000', 'hex');
      assert.ok(w.gatewayBridge.send({ dst: EXTENDER2.alMac, src: GATEWAY_AL_MAC, etherType: IEEE1905_ETHERTYPE, payload: answer }));
      w.runUntil(() => extender2In.length > 0, 1_000);
      assert.equal(extender2In.length, 1);
      assert.ok(extender2In[0]!.payload.equals(answer) && extender2In[0]!.src.equals(GATEWAY_AL_MAC));

      // On the air: four hops, each a four-address data frame (ToDS+FromDS) with LLC/SNAP and
      // ethertype 0x893A, the CMDU bytes unchanged, the AL MACs in Address 3/4.
      const hops = w.frames.slice(fromCapture).map((f) => decodeFrame(f.frame)).filter((f) => f.kind === 'data' && f.etherType === IEEE1905_ETHERTYPE);
      assert.deepEqual(
        hops.map((f) => [formatMac(f.header.addr1), formatMac(f.header.addr2), formatMac(f.header.addr3), formatMac(f.header.addr4!), f.header.flags & (FcFlag.ToDs | FcFlag.FromDs)]),
        [
          [formatMac(EXTENDER1.bssids[1]), EXTENDER2.staMac, '01:80:c2:00:00:13', formatMac(EXTENDER2.alMac), 3],
          [formatMac(GATEWAY_BSSIDS[1]!), EXTENDER1.staMac, '01:80:c2:00:00:13', formatMac(EXTENDER2.alMac), 3],
          [EXTENDER1.staMac, formatMac(GATEWAY_BSSIDS[1]!), formatMac(EXTENDER2.alMac), formatMac(GATEWAY_AL_MAC), 3],
          [EXTENDER2.staMac, formatMac(EXTENDER1.bssids[1]), formatMac(EXTENDER2.alMac), formatMac(GATEWAY_AL_MAC), 3],
        ],
      );
      const raw = w.frames.slice(fromCapture).map((f) => f.frame).find((b) => b.includes(payload))!;
      assert.ok(raw.subarray(30).equals(Buffer.concat([Buffer.from('aaaa030000008' + '93a', 'hex'), payload])), 'header, LLC/SNAP 0x893A, the CMDU');
    } finally {
      w.close();
    }
  });

  it('1905 ALs on the three bridges: a relayed multicast goes up the chain, each AL forwards it once; the unicast answer comes back down', async () => {
    const w = createWorld();
    try {
      const e1 = w.addExtender('extender1', { ...EXTENDER1, conf: staConf('extender1') });
      await onboard(w, e1, () => w.gatewayCommand('WPS_PBC'));
      e1.configure(HOME_BSSES());
      const e2 = w.addExtender('extender2', { ...EXTENDER2, conf: staConf('extender2'), outOfReachOf: [GATEWAY_BSSIDS[0]!] });
      await onboard(w, e2, () => e1.ap!.daemon.handle({ client: '', command: 'WPS_PBC', args: [], raw: 'WPS_PBC' }));

      const events = new Map<string, AlEvent[]>([['gateway', []], ['extender1', []], ['extender2', []]]);
      const host = (name: string, alMac: Buffer, bridge: typeof e1.bridge) =>
        bareAlHost({ alMac, bridge, scheduler: w.clock, rng: systemRng, onEvent: (e) => events.get(name)!.push(e) });
      const gateway = host('gateway', GATEWAY_AL_MAC, w.gatewayBridge);
      const h1 = host('extender1', EXTENDER1.alMac, e1.bridge);
      const h2 = host('extender2', EXTENDER2.alMac, e2.bridge);
      w.onGatewayCmdu = (port, frame) => gateway.receive(port, frame);
      e1.onCmdu = (port, frame) => h1.receive(port, frame);
      e2.onCmdu = (port, frame) => h2.receive(port, frame);

      const fromCapture = w.frames.length;
      h2.send({ dst: IEEE1905_MULTICAST, messageType: MessageType.ApAutoconfigSearch, tlvs: [{ kind: 'alMacAddress', alMac: EXTENDER2.alMac }], relay: true });
      w.runUntil(() => events.get('gateway')!.some((e) => e.kind === 'cmdu'), 1_000);
      w.runUntil(() => false, 200);
      const cmdus = (name: string) => events.get(name)!.filter((e) => e.kind === 'cmdu');
      assert.deepEqual(cmdus('extender1').map((e) => [e.iface, formatMac(e.src)]), [['wlan0_1.sta1', formatMac(EXTENDER2.alMac)]]);
      assert.deepEqual(cmdus('gateway').map((e) => [e.iface, formatMac(e.src)]), [['wlan0_1.sta1', formatMac(EXTENDER2.alMac)]]);
      const searches = w.frames.slice(fromCapture).map((f) => decodeFrame(f.frame)).filter((f) => f.kind === 'data' && f.etherType === IEEE1905_ETHERTYPE);
      assert.deepEqual(searches.map((f) => formatMac(f.header.addr2)), [EXTENDER2.staMac, EXTENDER1.staMac], 'sent once by extender2, forwarded once by extender1, by nobody else');

      h1.stop();
      gateway.send({ dst: EXTENDER2.alMac, messageType: MessageType.ApAutoconfigResponse, tlvs: [{ kind: 'supportedRole', role: 0 }] });
      w.runUntil(() => cmdus('extender2').length > 0, 1_000);
      assert.deepEqual(cmdus('extender2').map((e) => [e.iface, formatMac(e.src), e.kind === 'cmdu' ? e.cmdu.messageType : -1]), [['extender2', formatMac(GATEWAY_AL_MAC), MessageType.ApAutoconfigResponse]]);
      assert.equal(cmdus('extender1').length, 1, 'extender1 bridged the unicast without its AL seeing it');
    } finally {
      w.close();
    }
  });

  it('on a backhaul link with a primary VLAN (multi_ap_vlanid, profile 2) the 1905 frames cross tagged both ways and arrive untagged', async () => {
    const w = createWorld({ gatewayConf: GATEWAY_CONF.replace('multi_ap=1\n', 'multi_ap=1\nmulti_ap_vlanid=10\n') });
    try {
      const gatewayIn: EthernetFrame[] = [];
      w.onGatewayCmdu = (_port, frame) => gatewayIn.push(frame);
      const e1 = w.addExtender('extender1', { ...EXTENDER1, conf: staConf('extender1') });
      assert.equal(await w.gatewayCommand('WPS_PBC'), 'OK\n');
      assert.equal(await e1.sta.command('WPS_PBC multi_ap=2'), 'OK\n');
      w.runUntil(() => connected(e1.sta.events) !== undefined, 60_000);
      assert.equal(e1.sta.radio.linkVlanId, 10);
      const extenderIn: EthernetFrame[] = [];
      e1.onCmdu = (_port, frame) => extenderIn.push(frame);
      const fromCapture = w.frames.length;
      const up = Buffer.from('000000070001008001000602000000010000', 'hex');
      const down = Buffer.from('000000080001008001000602000000010000', 'hex');
      assert.ok(e1.bridge.send({ dst: IEEE1905_MULTICAST, src: EXTENDER1.alMac, etherType: IEEE1905_ETHERTYPE, payload: up }));
      w.runUntil(() => gatewayIn.length > 0, 1_000);
      assert.ok(w.gatewayBridge.send({ dst: EXTENDER1.alMac, src: GATEWAY_AL_MAC, etherType: IEEE1905_ETHERTYPE, payload: down }));
      w.runUntil(() => extenderIn.length > 0, 1_000);
      assert.deepEqual(gatewayIn.map((f) => [f.etherType, f.payload.toString('hex')]), [[IEEE1905_ETHERTYPE, up.toString('hex')]]);
      assert.deepEqual(extenderIn.map((f) => [f.etherType, f.payload.toString('hex')]), [[IEEE1905_ETHERTYPE, down.toString('hex')]]);
      // On the air: 802.1Q with VLAN 10, then 0x893A and the CMDU, after LLC/SNAP.
      const bodies = w.frames.slice(fromCapture).map((f) => decodeFrame(f.frame)).flatMap((f) => (f.kind === 'data' ? [f.payload.toString('hex')] : []));
      assert.deepEqual(bodies, [`000a893a${up.toString('hex')}`, `000a893a${down.toString('hex')}`]);
    } finally {
      w.close();
    }
  });

  it('Renew-style change: the new BSS list is applied as SIGHUP does; only tear-down stops the AP', () => {
    const w = createWorld();
    try {
      const e1 = w.addExtender('extender1', { ...EXTENDER1, conf: staConf('extender1') });
      assert.equal(e1.configure(HOME_BSSES()), 'started');
      w.runUntil(() => false, 300);
      assert.equal(e1.configure(HOME_BSSES('a-new-secret')), 'reloaded');
      assert.match(e1.ap!.daemon.runningConfig.bss[0]!.wpaPassphrase ?? '', /^a-new-secret$/);
      assert.equal(e1.configure(HOME_BSSES().slice(0, 1)), 'restarted');
      assert.deepEqual(e1.ap!.daemon.ifnames, ['wlan0']);
      assert.equal(e1.configure([{ ...HOME_BSSES()[0]!, multiApExtension: 0x10 }]), 'stopped');
      assert.equal(e1.ap, null);
    } finally {
      w.close();
    }
  });
});
