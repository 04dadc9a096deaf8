/**
 * A flood of 10,000 forged station MACs on the simulated medium, 10 per millisecond: each sends a
 * Probe Request with a WPS IE, Open System authentication, a WPS association to the fronthaul BSS
 * and an EAPOL-Start, and authenticates to the backhaul BSS too. Meanwhile the extender pushes
 * WPS with multi_ap=1. The station tables stay at max_num_sta, the 802.1X ports at their cap, the
 * heap does not grow with the number of MACs, and the extender still onboards.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeEapol, EapolType, ETHERTYPE_EAPOL } from '../../src/eap/index.js';
import { DEFAULT_MAX_PORTS } from '../../src/eap/index.js';
import { MAX_STA_COUNT } from '../../src/daemon/radio-ap.js';
import { GATEWAY_BSSIDS, GATEWAY_CONF, createWorld, staConf } from '../../src/demo/medium-world.js';
import { dataFrame, encodeFrame, mgmtHeader, rateElements, ssidElement, StatusCode, wpsElements } from '../../src/ieee80211/index.js';
import type { Frame } from '../../src/ieee80211/index.js';
import { assocRequestWpsAttributes, probeRequestWpsAttributes } from '../../src/wsc/probe-attributes.js';
import { ConfigMethod, RfBand } from '../../src/wsc/index.js';
import { decodeFrame } from '../../src/ieee80211/index.js';
import { retainedHeap } from '../support/heap.js';

const BROADCAST = Buffer.alloc(6, 0xff);
const [FRONTHAUL, BACKHAUL] = GATEWAY_BSSIDS as [Buffer, Buffer];

function forgedMac(index: number): Buffer {
  return Buffer.from([0x02, 0xf0, (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff, 0x01]);
}

/** Everything one forged station sends: the same frames a real WPS Enrollee starts with. */
function forgedFrames(index: number): Buffer[] {
  const mac = forgedMac(index);
  const uuid = Buffer.alloc(16, 0x5a);
  uuid.writeUInt32BE(index, 12);
  const probe = probeRequestWpsAttributes(
    { uuid, macAddress: mac, deviceName: `forged-${index}`, manufacturer: 'x', modelName: 'x', modelNumber: '1', serialNumber: '1', primaryDeviceType: Buffer.from('00010050f2040001', 'hex'), osVersion: 0, configMethods: ConfigMethod.Display, rfBands: RfBand.Band24 },
    false,
  );
  const frames: Frame[] = [
    { kind: 'probe-request', header: mgmtHeader('probe-request', BROADCAST, mac, BROADCAST), elements: [ssidElement(Buffer.alloc(0)), ...rateElements(), ...wpsElements(probe)] },
    { kind: 'authentication', header: mgmtHeader('authentication', FRONTHAUL, mac, FRONTHAUL), algorithm: 0, sequence: 1, status: 0, elements: [] },
    { kind: 'authentication', header: mgmtHeader('authentication', BACKHAUL, mac, BACKHAUL), algorithm: 0, sequence: 1, status: 0, elements: [] },
    {
      kind: 'association-request',
      header: mgmtHeader('association-request', FRONTHAUL, mac, FRONTHAUL),
      capability: 0x0401,
      listenInterval: 10,
      elements: [ssidElement(Buffer.from('home')), ...rateElements(), ...wpsElements(assocRequestWpsAttributes())],
    },
    dataFrame({ kind: 'to-ap', bssid: FRONTHAUL, sa: mac, da: BROADCAST }, ETHERTYPE_EAPOL, encodeEapol({ version: 2, type: EapolType.Start, body: Buffer.alloc(0) })),
  ];
  return frames.map(encodeFrame);
}

describe('flood of forged station MACs on the medium', () => {
  it('10,000 forged MACs: station tables and 802.1X ports stay capped, heap stays bounded, the extender onboards', async (t) => {
    const w = createWorld({ recordFrames: false });
    try {
      let associated = 0;
      const attacker = w.medium.attach({ mac: forgedMac(0xffffff), channel: 6, name: 'attacker' }, (bytes) => {
        try {
          const frame = decodeFrame(bytes);
          if (frame.kind === 'association-response' && frame.status === StatusCode.Success && frame.header.addr1[1] === 0xf0) associated++;
        } catch {
          // The attacker only counts what it gets back.
        }
      });
      const forged = 10_000;
      let sent = 0;
      let peakPorts = 0;
      const burst = () => {
        for (let i = 0; i < 10 && sent < forged; i++) for (const frame of forgedFrames(sent++)) attacker.send(frame);
        peakPorts = Math.max(peakPorts, w.radio.eapPortCount(0));
        // The harness's copies of the gateway's events and notes are not the daemon's memory.
        w.gatewayEvents.length = 0;
        w.gatewayBssEvents.length = 0;
        w.gatewayNotes.length = 0;
        if (sent < forged) w.clock.schedule(1, burst);
      };

      const heapBefore = retainedHeap();
      w.clock.schedule(0, burst);
      w.clock.runUntil(w.clock.now() + 300);
      const ext = w.addSta('extender', '02:00:00:00:01:00', staConf('extender'));
      assert.equal(await w.gatewayCommand('WPS_PBC'), 'OK\n');
      assert.equal(await ext.command('WPS_PBC multi_ap=1'), 'OK\n');
      w.runUntil(() => sent >= forged && ext.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED') || e.startsWith('WPS-FAIL') || e.startsWith('WPS-TIMEOUT')), 120_000);
      await ext.daemon.settled();
      const heapAfter = retainedHeap();
      const growthMiB = (heapAfter - heapBefore) / 1048576;

      const peakStations = w.radio.peakStationCount;
      t.diagnostic(
        `medium flood: ${forged} forged MACs (${forged * 5} frames), ${associated} forged WPS associations accepted, peak station table ${peakStations}, peak 802.1X ports ${peakPorts}, heap growth ${growthMiB.toFixed(2)} MiB, extender ${ext.events.find((e) => e.startsWith('CTRL-EVENT-CONNECTED')) ? 'onboarded' : 'failed'}`,
      );
      assert.equal(sent, forged);
      assert.ok(ext.events.includes('WPS-SUCCESS '), ext.events.join('\n'));
      assert.match(ext.events.find((e) => e.startsWith('CTRL-EVENT-CONNECTED')) ?? ext.events.join('\n'), /Connection to 02:00:00:00:0a:02 completed/);
      assert.equal(ext.daemon.config.networks[0]?.multiApBackhaulSta, true);
      assert.equal(w.radio.station(1, ext.mac)?.state, 'connected');
      assert.ok(associated >= forged, 'the forged stations really got associated (the flood reached the station table)');
      assert.ok(peakStations <= MAX_STA_COUNT, `station table at most ${MAX_STA_COUNT} (saw ${peakStations})`);
      assert.equal(w.radio.stationCount(0), MAX_STA_COUNT, 'the table filled up and stayed at its cap');
      assert.ok(peakPorts <= DEFAULT_MAX_PORTS, `at most ${DEFAULT_MAX_PORTS} 802.1X ports (saw ${peakPorts})`);
      // Per-MAC state is capped, so growth must not scale with the 10,000 MACs.
      assert.ok(growthMiB < 8, `heap grew by ${growthMiB.toFixed(1)} MiB`);
    } finally {
      w.close();
    }
  });

  it('max_num_sta=2 with two connected stations: a third is refused with status 17, an idle one is evicted instead', async () => {
    const w = createWorld({ gatewayConf: GATEWAY_CONF.replace('multi_ap=2\n', 'multi_ap=2\nmax_num_sta=2\n') });
    try {
      const statuses: number[] = [];
      const attacker = w.medium.attach({ mac: forgedMac(0xfffffe), channel: 6, name: 'attacker' }, (bytes) => {
        try {
          const frame = decodeFrame(bytes);
          if (frame.kind === 'authentication' && frame.header.addr3.equals(FRONTHAUL)) statuses.push(frame.status);
        } catch {
          // ignored
        }
      });
      const auth = (index: number) => attacker.send(forgedFrames(index)[1]!);
      auth(1);
      auth(2);
      auth(3);
      w.clock.runUntil(w.clock.now() + 10);
      assert.deepEqual(statuses, [0, 0, 0], 'an only-authenticated station makes room');
      assert.equal(w.radio.stationCount(0), 2);
      assert.equal(w.radio.station(0, forgedMac(1)), undefined, 'the station silent longest went');

      // Two phones connect to the fronthaul BSS; then the table is full of connected stations.
      for (const [name, mac] of [['phone1', '02:00:00:00:02:01'], ['phone2', '02:00:00:00:02:02']] as const) {
        const phone = w.addSta(name, mac, staConf(name, 'network={\n\tssid="home"\n\tpsk="fronthaul-secret"\n}\n'));
        await phone.command('SELECT_NETWORK 0');
        w.runUntil(() => phone.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED')), 10_000);
        assert.ok(phone.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED')), phone.events.join('\n'));
      }
      statuses.length = 0;
      auth(4);
      w.clock.runUntil(w.clock.now() + 10);
      assert.deepEqual(statuses, [StatusCode.ApUnableToHandleNewSta]);
      assert.ok(w.gatewayNotes.some((n) => n.includes('station table full')), w.gatewayNotes.join('\n'));
    } finally {
      w.close();
    }
  });
});
