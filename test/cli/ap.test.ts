import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runAp } from '../../src/cli/ap.js';

describe('onboard ap command line', () => {
  it('-g (hostapd\'s global control interface) is refused at start with the reason, never silently accepted', async () => {
    let stderr = '';
    const code = await runAp(['-g', '/tmp/onboard-global', '-c', '/nonexistent.conf'], { stdout: () => {}, stderr: (t) => (stderr += t) });
    assert.equal(code, 1);
    assert.match(stderr, /^onboard ap: -g \(the global control interface, ADD\/REMOVE of interfaces\) is not implemented/);
  });
});
