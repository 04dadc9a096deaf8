/** The AF_PACKET driver on real veth pairs (needs root: CI runs as root). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openWiredPort } from '../../src/drivers/wired.js';
import type { WiredPort } from '../../src/drivers/wired.js';
import { OnboardError } from '../../src/util/errors.js';

const notRoot = process.getuid?.() !== 0 ? 'needs root (veth pairs and raw sockets); run as root or `sudo npm run test:interop`' : false;
const tag = `obw${process.pid % 100000}`;
const A = `${tag}a`;
const B = `${tag}b`;
// Interface names may have 15 bytes (IFNAMSIZ - 1): the longest must work.
const LONG_A = `${tag}l`.padEnd(14, 'x') + 'a';
const LONG_B = `${tag}l`.padEnd(14, 'x') + 'b';
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' }).toString();
const PAE_GROUP = '01:80:c2:00:00:03';

function vethPair(x: string, y: string): void {
  ip('link', 'add', x, 'type', 'veth', 'peer', 'name', y);
  ip('link', 'set', x, 'up');
  ip('link', 'set', y, 'up');
}

function removeLink(name: string): void {
  try {
    ip('link', 'del', name);
  } catch {
    // Never created, or already gone.
  }
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('wired driver (AF_PACKET) on a veth pair', { skip: notRoot }, () => {
  let a: WiredPort | undefined;
  let b: WiredPort | undefined;
  before(() => {
    vethPair(A, B);
    a = openWiredPort(A);
    b = openWiredPort(B);
  });
  after(() => {
    a?.close();
    b?.close();
    removeLink(A);
    removeLink(LONG_A);
  });

  it('EAPOL to the PAE group address and unicast arrive byte for byte; a port does not hear itself', async () => {
    const pa = a!;
    const pb = b!;
    assert.equal(pa.mac.length, 6);
    assert.match(ip('link', 'show', A), new RegExp(`link/ether ${[...pa.mac].map((x) => x.toString(16).padStart(2, '0')).join(':')}`));
    const atB: Buffer[] = [];
    const atA: Buffer[] = [];
    pb.onFrame((f) => atB.push(f));
    pa.onFrame((f) => atA.push(f));
    // EAPOL-Start to the group address; an EAP-Response/Identity to B.
    const group = Buffer.concat([Buffer.from('0180c2000003', 'hex'), pa.mac, Buffer.from('888e01010000', 'hex')]);
    const unicast = Buffer.concat([pb.mac, pa.mac, Buffer.from('888e0100000902010009016f6e626f617264', 'hex')]);
    pa.send(group);
    pa.send(unicast);
    await until(() => atB.length === 2);
    assert.deepEqual(atB, [group, unicast]);
    await settle();
    assert.deepEqual(atA, []);
  });

  it('a burst of 200 frames arrives complete and in order, in both directions', async () => {
    const pa = a!;
    const pb = b!;
    const atA: Buffer[] = [];
    const atB: Buffer[] = [];
    pa.onFrame((f) => atA.push(f));
    pb.onFrame((f) => atB.push(f));
    const frame = (from: WiredPort, to: WiredPort, i: number) => {
      const body = Buffer.alloc(4 + 100);
      body.writeUInt8(2, 0); // EAPOL version 2, EAP packet
      body.writeUInt16BE(100, 2);
      body.writeUInt32BE(i, 4);
      return Buffer.concat([to.mac, from.mac, Buffer.from('888e', 'hex'), body]);
    };
    const toB = Array.from({ length: 200 }, (_, i) => frame(pa, pb, i));
    const toA = Array.from({ length: 200 }, (_, i) => frame(pb, pa, 1000 + i));
    for (let i = 0; i < 200; i++) {
      pa.send(toB[i]!);
      pb.send(toA[i]!);
    }
    await until(() => atB.length >= 200 && atA.length >= 200);
    await settle();
    assert.deepEqual(atB, toB);
    assert.deepEqual(atA, toA);
  });

  it('other ethertypes are not delivered', async () => {
    const pa = a!;
    const pb = b!;
    const atB: Buffer[] = [];
    pb.onFrame((f) => atB.push(f));
    pa.send(Buffer.concat([pb.mac, pa.mac, Buffer.from('0800450000', 'hex')]));
    pa.send(Buffer.concat([pb.mac, pa.mac, Buffer.from('88cc0000', 'hex')]));
    pa.send(Buffer.concat([pb.mac, pa.mac, Buffer.from('888e01010000', 'hex')]));
    await until(() => atB.length >= 1);
    await settle();
    assert.equal(atB.length, 1);
    assert.equal(atB[0]!.readUInt16BE(12), 0x888e);
  });

  it('a 15-byte interface name works; the PAE group is joined while open and left on close; a closed port is inert', async () => {
    vethPair(LONG_A, LONG_B);
    assert.equal(LONG_A.length, 15);
    assert.doesNotMatch(ip('maddr', 'show', 'dev', LONG_A), new RegExp(PAE_GROUP));
    const port = openWiredPort(LONG_A);
    const peer = openWiredPort(LONG_B);
    const heard: Buffer[] = [];
    try {
      assert.match(ip('maddr', 'show', 'dev', LONG_A), new RegExp(`link\\s+${PAE_GROUP}`));
      port.onFrame((f) => heard.push(f));
      const start = Buffer.concat([Buffer.from('0180c2000003', 'hex'), peer.mac, Buffer.from('888e01010000', 'hex')]);
      peer.send(start);
      await until(() => heard.length === 1);
      assert.deepEqual(heard, [start]);
      port.close();
      port.close();
      assert.doesNotMatch(ip('maddr', 'show', 'dev', LONG_A), new RegExp(PAE_GROUP));
      peer.send(start);
      port.send(start); // dropped without an exception
      await settle();
      assert.equal(heard.length, 1);
    } finally {
      port.close();
      peer.close();
      removeLink(LONG_A);
    }
  });

  it('a missing interface is a clear ENODEV error; a non-Ethernet one is refused', () => {
    assert.throws(
      () => openWiredPort(`${tag}none`),
      (e: unknown) => e instanceof OnboardError && e.code === 'wired-enodev' && /no such interface/.test(e.message) && e.message.includes(`${tag}none`),
    );
    assert.throws(() => openWiredPort('lo'), (e: unknown) => e instanceof OnboardError && e.code === 'wired-eafnosupport' && /not an Ethernet interface/.test(e.message));
    assert.throws(() => openWiredPort('x'.repeat(16)), (e: unknown) => e instanceof OnboardError && e.code === 'wired-einval');
  });
});
