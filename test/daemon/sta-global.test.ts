import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseInterfaceAdd } from '../../src/daemon/sta-global.js';

describe('INTERFACE_ADD arguments (wpa_supplicant_global_iface_add)', () => {
  it('tab-separated fields, empty ones left out; create [sta|ap]; anything else after the bridge is refused', () => {
    assert.deepEqual(parseInterfaceAdd('wlan1\t/etc/w.conf\tsim\t\tmedium=/tmp/air\t'), { ifname: 'wlan1', confPath: '/etc/w.conf', driver: 'sim', driverParam: 'medium=/tmp/air' });
    assert.deepEqual(parseInterfaceAdd('wlan1'), { ifname: 'wlan1' });
    assert.deepEqual(parseInterfaceAdd('wlan1\tc\twired\t/run/w\t\tbr0\tcreate\tap'), { ifname: 'wlan1', confPath: 'c', driver: 'wired', ctrlInterface: '/run/w', bridge: 'br0', create: 'ap' });
    assert.deepEqual(parseInterfaceAdd('wlan1\tc\t\t\t\t\tcreate'), { ifname: 'wlan1', confPath: 'c', create: 'sta' });
    assert.equal(parseInterfaceAdd(''), null);
    assert.equal(parseInterfaceAdd('\tc'), null);
    assert.equal(parseInterfaceAdd('wlan1\tc\t\t\t\t\tmake'), null);
    assert.equal(parseInterfaceAdd('wlan1\tc\t\t\t\t\tcreate\tmesh'), null);
  });
});
