import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { controllerBssInfo, runMediumDemo } from '../../src/demo/medium-demo.js';
import { GATEWAY_CONF } from '../../src/demo/medium-world.js';
import { readPcap } from '../../src/pcap/pcap.js';

const bin = fileURLToPath(new URL('../../../bin/onboard.js', import.meta.url));

describe('onboard demo (simulated medium)', () => {
  it('verifies every step and prints the story: events, frame sequence, saved networks, outcomes', async () => {
    const lines: string[] = [];
    assert.equal(await runMediumDemo({ json: false, write: (l) => lines.push(l) }), 0);
    const text = lines.join('\n');
    assert.match(text, /extender ──▶ gateway\/home {5}Association Request \[WPS\] \[Multi-AP 0x80\]/);
    assert.match(text, /extender ──▶ gateway\/home {5}M1 \[Multi-AP extension 0x80\]/);
    assert.match(text, /gateway\/backhaul ──▶ extender {9}Association Response \(status 0\) \[Multi-AP 0x40\]/);
    assert.match(text, /gateway\/backhaul ──▶ legacy {11}Association Response \(status 12\)/);
    assert.match(text, /extender \(extender\.conf\):\n {4}network=\{\n\t? *\tssid="home-backhaul"/);
    assert.match(text, /extender {2}-> gateway\/backhaul: connected, four-address mode, keys agreed/);
    // EasyMesh: Search up, relayed once by the first extender; M2s back down; Renew down both hops.
    assert.match(text, /extender ──▶ gateway\/backhaul 1905 AP-Autoconfiguration Search \(mid \d+\) \[relayed\] \(four-address\)/);
    assert.match(text, /gateway\/backhaul ──▶ extender {9}1905 AP-Autoconfiguration WSC \(mid \d+\) \[2 WSC\] \(four-address\)/);
    const relayed = /extender2 ──▶ extender\/backhaul 1905 AP-Autoconfiguration Search \(mid (\d+)\) \[relayed\]/.exec(text);
    assert.ok(relayed, 'extender2 searched');
    assert.equal(text.match(new RegExp(`AP-Autoconfiguration Search \\(mid ${relayed[1]}\\)`, 'g'))?.length, 2, 'sent once, relayed once');
    assert.match(text, /extender\/backhaul ──▶ extender2 {8}1905 AP-Autoconfiguration Renew \(mid \d+\) \[relayed\]/);
    assert.match(text, /extender2 AP: 02:00:00:00:4a:01 "home" multi_ap=2, 02:00:00:00:4a:02 "home-backhaul" multi_ap=1/);
    assert.match(text, /phone \(phone\.conf\):\n {4}network=\{\n\t? *\tssid="home"\n\t? *\tpsk="fronthaul-secret-2"/);
    assert.doesNotMatch(text, /FAILED/);
    assert.match(text, /demo: every step verified$/);
  });

  it('--pcap writes a radiotap capture of every frame; --json prints one object; the CLI exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-demo-'));
    try {
      const pcap = join(dir, 'air.pcap');
      const result = spawnSync(process.execPath, [bin, 'demo', '--json', '--pcap', pcap], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      const report = JSON.parse(result.stdout) as { ok: boolean; checks: { ok: boolean }[]; frames: { what: string }[]; beacons: number; pcap: string };
      assert.equal(report.ok, true);
      assert.equal(report.checks.length, 18);
      const capture = readPcap(readFileSync(pcap));
      assert.equal(capture.linkType, 127);
      assert.equal(capture.records.length, report.frames.length + report.beacons);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints each event as the virtual clock reaches it, and exits 1 when a step fails', async () => {
    const lines: string[] = [];
    assert.equal(await runMediumDemo({ json: false, write: (l) => lines.push(l) }), 0);
    const stamps = lines.filter((l) => l.includes('] extender: ')).map((l) => Number(/\[\s*([\d.]+) s\]/.exec(l)![1]));
    assert.ok(stamps.length >= 4 && new Set(stamps).size >= 3, `extender events at distinct instants: ${stamps.join(', ')}`);
    assert.ok(stamps.every((t, i) => i === 0 || t >= stamps[i - 1]!));

    // A gateway with no backhaul credentials to hand out: the extender gets the fronthaul ones.
    const noBackhaul = GATEWAY_CONF.split('\n').filter((l) => !l.startsWith('multi_ap_backhaul_')).join('\n');
    const failed: string[] = [];
    assert.equal(await runMediumDemo({ json: false, write: (l) => failed.push(l), gatewayConf: noBackhaul }), 1);
    assert.match(failed.join('\n'), /received the backhaul credentials .* FAILED/);
    assert.match(failed.at(-1)!, /check\(s\) FAILED/);

    // A Controller with no BSS for the second extender: it gets a tear-down M2 and runs nothing.
    const onlyFirst = (passphrase: string) => controllerBssInfo(passphrase).split('\n').filter((l) => !l.startsWith('02:00:00:00:04:ff')).join('\n');
    const torn: string[] = [];
    assert.equal(await runMediumDemo({ json: false, write: (l) => torn.push(l), controllerBssInfo: onlyFirst }), 1);
    const tornText = torn.join('\n');
    assert.match(tornText, /extender2: Agent: radio configured: tear-down/);
    assert.match(tornText, /extender2's AP runs "home" .* FAILED/);
    assert.match(tornText, /extender's AP brought them up .* OK/);
  });

  it('without --pcap the capture still goes to a file, and its path is printed', () => {
    const result = spawnSync(process.execPath, [bin, 'demo'], { encoding: 'utf8', env: { ...process.env, TMPDIR: mkdtempSync(join(tmpdir(), 'onboard-demo-')) } });
    assert.equal(result.status, 0, result.stderr);
    const path = /^pcap \(radiotap \+ 802\.11, \d+ frames, \d+ of them Beacons\): (.+)$/m.exec(result.stdout)?.[1];
    assert.ok(path !== undefined && path.endsWith('onboard-demo.pcap'), result.stdout.slice(-300));
    assert.equal(readPcap(readFileSync(path)).linkType, 127);
    rmSync(dirname(dirname(path)), { recursive: true, force: true });
  });

  it('rejects unknown options with exit code 2', () => {
    const result = spawnSync(process.execPath, [bin, 'demo', '--bogus'], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown option --bogus/);
  });
});
