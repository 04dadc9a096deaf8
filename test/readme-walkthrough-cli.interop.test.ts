/**
 * The walkthrough with the real hostapd_cli and wpa_cli (Debian 2.10) in terminal 4, with the
 * arguments the README gives for them; terminals 1 to 3 as written.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requireTools } from './support/interop.js';
import { Walkthrough, WALKTHROUGH_HEADING, readmeSection } from './support/walkthrough.js';

describe('README walkthrough with hostapd_cli and wpa_cli', () => {
  let walk: Walkthrough | undefined;
  after(() => walk?.close());

  it('the commands the README names for them push the same buttons', async () => {
    requireTools('hostapd_cli', 'wpa_cli');
    const section = readmeSection(WALKTHROUGH_HEADING);
    const quoted = (tool: string) => [...section.matchAll(/`((?:hostapd_cli|wpa_cli) [^`]+)`/g)].map((m) => m[1]!).find((c) => c.startsWith(`${tool} `));
    const hostapdCli = quoted('hostapd_cli');
    const wpaCli = quoted('wpa_cli');
    assert.ok(hostapdCli && wpaCli, 'the README names a hostapd_cli and a wpa_cli command');
    walk = new Walkthrough();
    const daemons = await walk.startDaemons();
    const cd = walk.blocks[3]!.trim().split('\n')[0]!;
    assert.equal(walk.type(`${cd}\n${hostapdCli}`), 'OK\n');
    assert.equal(walk.type(`${cd}\n${wpaCli}`), 'OK\n');
    await walk.checkOutcome(daemons);
  });
});
