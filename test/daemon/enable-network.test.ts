/**
 * ENABLE_NETWORK on an idle STA starts a connection, as wpa_supplicant_enable_network does (seen
 * with the real wpa_supplicant 2.10 in the air suite: add_network, set_network ssid/psk,
 * enable_network → it associates at once). onboard used to only clear `disabled`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, staConf } from '../../src/demo/medium-world.js';

describe('ENABLE_NETWORK on an idle STA', () => {
  it('connects to the enabled network', async () => {
    const world = createWorld();
    try {
      const sta = world.addSta('phone', '02:00:00:00:00:31', staConf('phone'));
      world.runUntil(() => false, 500);
      assert.equal((await sta.command('ADD_NETWORK')).trim(), '0');
      assert.equal(await sta.command('SET_NETWORK 0 ssid "home"'), 'OK\n');
      assert.equal(await sta.command('SET_NETWORK 0 psk "fronthaul-secret"'), 'OK\n');
      assert.equal(await sta.command('ENABLE_NETWORK 0'), 'OK\n');
      const connected = world.runUntil(() => sta.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED')), 30_000);
      assert.ok(connected, sta.events.join('\n'));
    } finally {
      world.close();
    }
  });

  it('does nothing while the STA is connected elsewhere or the network has no SSID', async () => {
    const world = createWorld();
    try {
      const sta = world.addSta('phone', '02:00:00:00:00:32', staConf('phone'));
      assert.equal((await sta.command('ADD_NETWORK')).trim(), '0');
      assert.equal(await sta.command('ENABLE_NETWORK 0'), 'OK\n');
      world.runUntil(() => false, 5_000);
      assert.ok(!sta.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED') || e.startsWith('CTRL-EVENT-SCAN-STARTED')), sta.events.join('\n'));
    } finally {
      world.close();
    }
  });
});
