import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHostapdConfOrThrow } from '../../src/config/index.js';
import { GATEWAY_CONF } from '../../src/demo/medium-world.js';
import { runWscDemo } from '../../src/demo/wsc-demo.js';
import { readPcap } from '../../src/pcap/pcap.js';

const bin = fileURLToPath(new URL('../../../bin/onboard.js', import.meta.url));

describe('onboard demo (in-process Registrar, extender and phone)', () => {
  it('verifies backhaul credentials for the extender and fronthaul ones for the phone', () => {
    const lines: string[] = [];
    assert.equal(runWscDemo({ json: false, write: (l) => lines.push(l) }), 0);
    const text = lines.join('\n');
    assert.match(text, /extender -> gateway {2}Msg {2}M1 .*Multi-AP extension 0x80/);
    assert.match(text, /extender received: ssid="home-backhaul" key="backhaul-secret-42" WPA2-PSK\/CCMP {2}-> store with multi_ap_backhaul_sta=1/);
    assert.match(text, /phone received: ssid="home" key="fronthaul-secret"/);
    assert.doesNotMatch(text.split('== phone')[1]!, /Multi-AP extension/);
  });

  it('--json prints one object and the CLI exits 0; without --pcap the capture goes to a new directory under $TMPDIR', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'onboard-wired-json-'));
    try {
      const result = spawnSync(process.execPath, [bin, 'demo', '--wired', '--json'], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });
      assert.equal(result.status, 0, result.stderr);
      const report = JSON.parse(result.stdout) as { ok: boolean; pcap: string; enrollees: { name: string; multiApBackhaulSta: boolean; credentials: { ssid: string }[] }[] };
      assert.equal(report.ok, true);
      assert.deepEqual(report.enrollees.map((e) => [e.name, e.multiApBackhaulSta, e.credentials[0]?.ssid]), [
        ['extender', true, 'home-backhaul'],
        ['phone', false, 'home'],
      ]);
      assert.ok(report.pcap.startsWith(join(tmp, 'onboard-demo-')), report.pcap);
      assert.equal(readPcap(readFileSync(report.pcap)).linkType, 1);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('--pcap writes the segment as an Ethernet capture (link type 1) and prints its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-wired-'));
    try {
      const pcap = join(dir, 'wired.pcap');
      const result = spawnSync(process.execPath, [bin, 'demo', '--wired', '--pcap', pcap], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      const capture = readPcap(readFileSync(pcap));
      assert.equal(capture.linkType, 1);
      assert.match(result.stdout, new RegExp(`^pcap \\(Ethernet, ${capture.records.length} EAPOL frames\\): ${pcap}$`, 'm'));
      // Every record is an EAPOL frame (EtherType 0x888e) between the gateway and one Enrollee.
      assert.ok(capture.records.every((r) => r.data.readUInt16BE(12) === 0x888e));
      const sources = new Set(capture.records.map((r) => r.data.subarray(6, 12).toString('hex')));
      assert.deepEqual([...sources].sort(), ['020000000100', '020000000200', '020000000a01']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells the same story as the radio demo: the SSIDs of its gateway (the capture test checks the MAC addresses)', () => {
    const lines: string[] = [];
    runWscDemo({ json: false, write: (l) => lines.push(l) });
    const gateway = parseHostapdConfOrThrow(GATEWAY_CONF).config;
    assert.equal(lines[0], `gateway   fronthaul "${gateway.bss[0]!.ssid!.toString()}", backhaul "${gateway.bss[1]!.ssid!.toString()}" (Multi-AP backhaul credentials configured)`);
  });

  it('rejects unknown options with exit code 2', () => {
    const result = spawnSync(process.execPath, [bin, 'demo', '--bogus'], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown option --bogus/);
  });
});
