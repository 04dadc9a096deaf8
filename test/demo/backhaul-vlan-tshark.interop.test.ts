/**
 * tshark (Debian package) over the capture of the backhaul link with a primary VLAN: the client's
 * frame the extender forwards is an 802.1Q frame with the VLAN ID the gateway's backhaul BSS
 * announced, and that announcement is the Multi-AP element's Default 802.1Q Setting.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryCapture } from '../../src/sim/capture.js';
import { requireTools } from '../support/interop.js';
import { backhaulScene } from '../support/backhaul-vlan.js';

describe('tshark over a backhaul link with multi_ap_vlanid', () => {
  let dir: string;
  let pcap: string;
  const fields = (filter: string, ...names: string[]) =>
    execFileSync('tshark', ['-r', pcap, '-Y', filter, '-T', 'fields', ...names.flatMap((n) => ['-e', n])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));

  before(async () => {
    requireTools('tshark');
    dir = mkdtempSync(join(tmpdir(), 'onboard-vlan-'));
    pcap = join(dir, 'backhaul.pcap');
    const capture = new MemoryCapture();
    const { w } = await backhaulScene({ vlanId: 10, profile: 2, capture: (f) => capture.write(f) });
    w.close();
    writeFileSync(pcap, capture.toPcap());
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the forwarded frame is 802.1Q with VLAN ID 10 around the client\'s IPv6, in four-address form', () => {
    assert.deepEqual(fields('vlan', 'wlan.fc.ds', 'wlan.sa', 'vlan.id', 'vlan.etype'), [['0x03', '02:00:00:00:c0:de', '10', '0x86dd']]);
  });

  it('nothing in the capture is malformed', () => {
    assert.deepEqual(fields('_ws.malformed || _ws.expert.severity == error', 'frame.number'), []);
  });
});
