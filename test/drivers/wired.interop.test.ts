/** The AF_PACKET driver on a real veth pair (needs root: CI runs as root). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openWiredPort } from '../../src/drivers/wired.js';
import type { WiredPort } from '../../src/drivers/wired.js';
import { OnboardError } from '../../src/util/errors.js';

const A = `obw${process.pid % 100000}a`;
const B = `obw${process.pid % 100000}b`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('wired driver (AF_PACKET) on a veth pair', () => {
  let a: WiredPort;
  let b: WiredPort;
  before(() => {
    ip('link', 'add', A, 'type', 'veth', 'peer', 'name', B);
    ip('link', 'set', A, 'up');
    ip('link', 'set', B, 'up');
    a = openWiredPort(A);
    b = openWiredPort(B);
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

  it('EAPOL to the PAE group address and unicast arrive byte for byte; a port does not hear itself', async () => {
    const atB: Buffer[] = [];
    const atA: Buffer[] = [];
    b.onFrame((f) => atB.push(f));
    a.onFrame((f) => atA.push(f));
    const group = Buffer.concat([Buffer.from('0180c2000003', 'hex'), a.mac, Buffer.from('888e01010000', 'hex')]);
    const unicast = Buffer.concat([b.mac, a.mac, Buffer.from('888e0200000501010005 01'.replace(/ /g, ''), 'hex')]);
    a.send(group);
    a.send(unicast);
    await until(() => atB.length === 2);
    assert.deepEqual(atB, [group, unicast]);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(atA, []);
  });

  it('other ethertypes are not delivered', async () => {
    const atB: Buffer[] = [];
    b.onFrame((f) => atB.push(f));
    a.send(Buffer.concat([b.mac, a.mac, Buffer.from('0800450000', 'hex')]));
    a.send(Buffer.concat([b.mac, a.mac, Buffer.from('888e01010000', 'hex')]));
    await until(() => atB.length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(atB.length, 1);
    assert.equal(atB[0]!.readUInt16BE(12), 0x888e);
  });

  it('a missing interface is a clear ENODEV error', () => {
    assert.throws(() => openWiredPort('obwnosuchif'), (e: unknown) => e instanceof OnboardError && e.code === 'wired-enodev' && /no such interface/.test(e.message));
  });
});
