/** The IEEE 1905.1 transport (AF_PACKET, ethertype 0x893A) on a real veth pair (root). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIeee1905Port } from '../../src/drivers/ieee1905.js';
import type { Ieee1905Frame, Ieee1905Transport } from '../../src/drivers/ieee1905.js';
import { OnboardError } from '../../src/util/errors.js';
import { parseMac } from '../../src/util/mac.js';
import { until } from '../support/interop.js';

const tag = `ob19${process.pid % 100000}`;
const A = `${tag}a`;
const B = `${tag}b`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' }).toString();
const MULTICAST = '01:80:c2:00:00:13';
/** B's AL MAC: not its interface address, as prplMesh's AL MAC is its bridge's. */
const AL_MAC_B = parseMac('02:00:00:00:a0:01');
/**
 * The AP-Autoconfiguration Response prplMesh's controller sent (autoconfig.pcapng frame 8, the
 * bytes after the Ethernet header): SupportedRole, SupportedFreqBand, SupportedService, vendor TLV.
 */
const PRPLMESH_RESPONSE = Buffer.from(
  '0000000800010080' + '0f000100' + '10000100' + '8000020100' + '0b001600034755cdabef060a02010000000000000000000000000000' + '000000',
  'hex',
);

const settle = () => new Promise((r) => setTimeout(r, 100));

describe('IEEE 1905.1 transport (AF_PACKET) on a veth pair', () => {
  let a: Ieee1905Transport | undefined;
  let b: Ieee1905Transport | undefined;
  before(() => {
    ip('link', 'add', A, 'type', 'veth', 'peer', 'name', B);
    ip('link', 'set', A, 'up');
    ip('link', 'set', B, 'up');
    a = openIeee1905Port(A);
    b = openIeee1905Port(B, { alMac: AL_MAC_B });
  });
  after(() => {
    a?.close();
    b?.close();
    try {
      ip('link', 'del', A);
    } catch {
      // Already gone.
    }
  });

  it('joins the 1905 multicast address while open', () => {
    assert.match(ip('maddr', 'show', 'dev', A), new RegExp(`link\\s+${MULTICAST}`));
    assert.match(ip('maddr', 'show', 'dev', B), new RegExp(`link\\s+${MULTICAST}`));
  });

  it('multicast, the AL MAC and the interface address arrive with their addresses; another host\'s unicast and other ethertypes do not', async () => {
    const atB: Ieee1905Frame[] = [];
    b!.onFrame((f) => atB.push(f));
    const before = b!.ignored;
    a!.send(parseMac(MULTICAST), PRPLMESH_RESPONSE);
    a!.send(AL_MAC_B, PRPLMESH_RESPONSE, parseMac('02:00:00:00:c0:ff'));
    a!.send(b!.mac, PRPLMESH_RESPONSE);
    a!.send(parseMac('02:00:00:00:99:99'), PRPLMESH_RESPONSE);
    await until(() => atB.length >= 3, 'three frames at B', 5000);
    await settle();
    assert.deepEqual(
      atB.map((f) => [f.iface, f.dst.toString('hex'), f.src.toString('hex'), f.payload.toString('hex')]),
      [
        [B, '0180c2000013', a!.mac.toString('hex'), PRPLMESH_RESPONSE.toString('hex')],
        [B, AL_MAC_B.toString('hex'), '02000000c0ff', PRPLMESH_RESPONSE.toString('hex')],
        [B, b!.mac.toString('hex'), a!.mac.toString('hex'), PRPLMESH_RESPONSE.toString('hex')],
      ],
    );
    assert.equal(b!.ignored - before, 1);
  });

  it('tshark decodes what we send as the prplMesh Response it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), `${tag}-`));
    const pcap = join(dir, 'cap.pcapng');
    const tshark = spawn('tshark', ['-q', '-i', B, '-f', 'ether proto 0x893a', '-w', pcap], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    tshark.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      await until(() => /Capturing on/.test(err), 'tshark capturing', 15_000);
      // dumpcap says it is capturing a moment before its filter is in place: send a few times.
      for (let i = 0; i < 5; i++) {
        a!.send(AL_MAC_B, PRPLMESH_RESPONSE, parseMac('02:00:00:00:c0:ff'));
        await new Promise((r) => setTimeout(r, 200));
      }
      tshark.kill('SIGINT');
      await new Promise((r) => tshark.once('exit', r));
      const fields = execFileSync('tshark', ['-r', pcap, '-T', 'fields', '-e', 'eth.dst', '-e', 'ieee1905.message_type', '-e', 'ieee1905.tlv_type', '-e', '_ws.malformed'], { encoding: 'utf8' });
      const lines = fields.trim().split('\n');
      assert.ok(lines.length >= 1);
      // No _ws.malformed field: the frame decoded whole.
      for (const line of lines) assert.equal(line.trimEnd(), '02:00:00:00:a0:01\t0x0008\t0x0f,0x10,0x80,0x0b,0x00');
      assert.ok(readFileSync(pcap).length > 0);
    } finally {
      if (tshark.exitCode === null) tshark.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing interface is a clear ENODEV error; a non-Ethernet one is refused', () => {
    assert.throws(() => openIeee1905Port(`${tag}none`), (e: unknown) => e instanceof OnboardError && e.code === 'ieee1905-enodev' && /no such interface/.test(e.message));
    assert.throws(() => openIeee1905Port('lo'), (e: unknown) => e instanceof OnboardError && e.code === 'ieee1905-eafnosupport');
  });
});
