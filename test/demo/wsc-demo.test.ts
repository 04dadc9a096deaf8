import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runWscDemo } from '../../src/demo/wsc-demo.js';

const bin = fileURLToPath(new URL('../../../bin/onboard.js', import.meta.url));

describe('onboard demo (in-process Registrar, extender and phone)', () => {
  it('verifies backhaul credentials for the extender and fronthaul ones for the phone', () => {
    const lines: string[] = [];
    assert.equal(runWscDemo({ json: false, write: (l) => lines.push(l) }), 0);
    const text = lines.join('\n');
    assert.match(text, /extender -> gateway {2}Msg {2}M1 .*Multi-AP extension 0x80/);
    assert.match(text, /extender received: ssid="home-backhaul" key="backhaul-secret-42" WPA2-PSK\/CCMP {2}-> store with multi_ap_backhaul_sta=1/);
    assert.match(text, /phone received: ssid="home-fronthaul" key="fronthaul-secret"/);
    assert.doesNotMatch(text.split('== phone')[1]!, /Multi-AP extension/);
  });

  it('--json prints one object and the CLI exits 0', () => {
    const result = spawnSync(process.execPath, [bin, 'demo', '--wired', '--json'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { ok: boolean; enrollees: { name: string; multiApBackhaulSta: boolean; credentials: { ssid: string }[] }[] };
    assert.equal(report.ok, true);
    assert.deepEqual(report.enrollees.map((e) => [e.name, e.multiApBackhaulSta, e.credentials[0]?.ssid]), [
      ['extender', true, 'home-backhaul'],
      ['phone', false, 'home-fronthaul'],
    ]);
  });

  it('rejects unknown options with exit code 2', () => {
    const result = spawnSync(process.execPath, [bin, 'demo', '--bogus'], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown option --bogus/);
  });
});
