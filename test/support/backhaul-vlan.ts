/**
 * The demo's gateway with `multi_ap_vlanid` on its backhaul BSS and an extender onboarded with
 * `WPS_PBC multi_ap=N`, which then forwards one frame from a client behind it over the backhaul:
 * the scene the 802.1Q tests look at, in the unit suite and with tshark.
 */
import assert from 'node:assert/strict';
import { createWorld, GATEWAY_CONF, staConf } from '../../src/demo/medium-world.js';
import type { World, WorldSta } from '../../src/demo/medium-world.js';
import type { CapturedFrame } from '../../src/sim/medium.js';

/** The client behind the extender and where its frame goes (IPv6 all-nodes, as the golden run's first data). */
export const CLIENT = Buffer.from('02000000c0de', 'hex');
export const ALL_NODES = Buffer.from('333300000001', 'hex');
export const CLIENT_ETHERTYPE = 0x86dd;
/** An IPv6 header from fe80::c0de to ff02::1 with No Next Header (59) and nothing after it. */
export const CLIENT_PAYLOAD = Buffer.from('6000000000003bff' + 'fe80000000000000000000000000c0de' + 'ff020000000000000000000000000001', 'hex');

export async function backhaulScene(options: { vlanId: number; profile: number; capture?: (frame: CapturedFrame) => void }): Promise<{ w: World; ext: WorldSta }> {
  const conf = GATEWAY_CONF.replace('multi_ap=1\n', `multi_ap=1\n${options.vlanId ? `multi_ap_vlanid=${options.vlanId}\n` : ''}`);
  const w = createWorld({ gatewayConf: conf, ...(options.capture ? { capture: options.capture } : {}) });
  const ext = w.addSta('extender', '02:00:00:00:01:00', staConf('extender'));
  assert.equal(await w.gatewayCommand('WPS_PBC'), 'OK\n');
  assert.equal(await ext.command(`WPS_PBC multi_ap=${options.profile}`), 'OK\n');
  w.runUntil(() => ext.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:0a:02')), 60_000);
  assert.ok(ext.radio.fourAddress, ext.events.join('\n'));
  ext.radio.sendData(CLIENT_ETHERTYPE, CLIENT_PAYLOAD, ALL_NODES, CLIENT);
  w.runUntil(() => false, 100);
  return { w, ext };
}
