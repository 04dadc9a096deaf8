/**
 * The hwsim bridge against messages laid out as mac80211_hwsim (Linux 6.1) builds and parses them:
 * mac80211_hwsim_tx_frame_nl (a radio's transmission handed to the medium), hwsim_cloned_frame_received_nl
 * (a frame injected into a radio), hwsim_tx_info_frame_received_nl (the TX status), and
 * mac80211_hwsim_config_mac_nl (a virtual interface's address). The messages the kernel sends are
 * built here byte by byte, not with the codec under test.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HwsimBridge } from '../../src/sim/hwsim-bridge.js';
import { Medium } from '../../src/sim/medium.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { MemoryCapture } from '../../src/sim/capture.js';
import { readPcap } from '../../src/pcap/pcap.js';

const FAMILY = 0x21;
const hex = (s: string) => Buffer.from(s.replace(/[: ]/g, ''), 'hex');

function attribute(type: number, value: Buffer): Buffer {
  const out = Buffer.alloc((4 + value.length + 3) & ~3);
  out.writeUInt16LE(4 + value.length, 0);
  out.writeUInt16LE(type, 2);
  value.copy(out, 4);
  return out;
}
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/** A generic netlink message from the kernel (port 0) in the hwsim family. */
function fromKernel(command: number, attributes: Buffer[], type = FAMILY, seq = 0): Buffer {
  const payload = Buffer.concat([Buffer.from([command, 1, 0, 0]), ...attributes]);
  const header = Buffer.alloc(16);
  header.writeUInt32LE(16 + payload.length, 0);
  header.writeUInt16LE(type, 4);
  header.writeUInt32LE(seq, 8);
  return Buffer.concat([header, payload]);
}

/** HWSIM_CMD_FRAME as mac80211_hwsim_tx_frame_nl puts it together (PAD before the 64-bit cookie where alignment wants it). */
function kernelTx(transmitter: string, frame: Buffer, options: { flags?: number; freq?: number; cookie?: bigint; rateIndex?: number } = {}): Buffer {
  const rates = Buffer.from([options.rateIndex ?? 0, 1, 0xff, 0, 0xff, 0, 0xff, 0]);
  const cookie = Buffer.alloc(8);
  cookie.writeBigUInt64LE(options.cookie ?? 0x1122334455n);
  return fromKernel(2, [
    attribute(2, hex(transmitter)),
    attribute(3, frame),
    attribute(4, u32(options.flags ?? 1)),
    attribute(19, u32(options.freq ?? 2412)),
    attribute(7, rates),
    attribute(20, Buffer.alloc(0)),
    attribute(8, cookie),
  ]);
}

/** Reads what the bridge sent the kernel: command and attributes by type. */
function parseSent(message: Buffer): { type: number; command: number; attributes: Map<number, Buffer> } {
  assert.equal(message.readUInt32LE(0), message.length - ((4 - (message.readUInt32LE(0) % 4)) % 4));
  const attributes = new Map<number, Buffer>();
  let at = 20;
  while (at + 4 <= message.readUInt32LE(0)) {
    const length = message.readUInt16LE(at);
    attributes.set(message.readUInt16LE(at + 2), message.subarray(at + 4, at + length));
    at += (length + 3) & ~3;
  }
  return { type: message.readUInt16LE(4), command: message[16]!, attributes };
}

const probeRequest = hex('4000 0000 ffffffffffff 020000000000 ffffffffffff 1000 0000');
// Authentication from hwsim radio 0 (02:00:00:00:00:00) to the onboard AP 02:00:00:00:0a:00.
const authentication = hex('b000 3a01 02000000 0a00 020000000000 02000000 0a00 2000 0000 0100 0000');

function setup() {
  const clock = new VirtualScheduler();
  const capture = new MemoryCapture();
  const medium = new Medium(clock, { capture: (f) => capture.write(f) });
  const sent: Buffer[] = [];
  const bridge = new HwsimBridge({ medium, family: FAMILY, send: (m) => (sent.push(m), 0) });
  return { clock, capture, medium, sent, bridge };
}

describe('hwsim bridge', () => {
  it('puts a hwsim radio\'s frame on the medium at its frequency and rate, and reports its TX status with the cookie', () => {
    const { clock, capture, medium, sent, bridge } = setup();
    const got: { frame: Buffer; frequency: number; rate: number }[] = [];
    medium.attach({ mac: hex('02:00:00:00:0a:00'), channel: 1 }, (frame, info) => got.push({ frame, frequency: info.frequency, rate: info.rate }));
    medium.attach({ mac: hex('02:00:00:00:0b:00'), channel: 6 }, () => assert.fail('channel 6 must not hear channel 1'));
    bridge.receive(kernelTx('42:00:00:00:00:00', probeRequest, { cookie: 0xabcdefn, rateIndex: 0 }));
    clock.runUntil(10);
    assert.deepEqual(got, [{ frame: probeRequest, frequency: 2412, rate: 2 }], '1 Mb/s: rate index 0 of the 2.4 GHz table');
    assert.equal(capture.frames.length, 1);
    assert.equal(readPcap(capture.toPcap()).records[0]!.data.readUInt16LE(10), 2412);
    const status = sent.map(parseSent).filter((m) => m.command === 3);
    assert.equal(status.length, 1);
    const a = status[0]!.attributes;
    assert.deepEqual(a.get(2), hex('42:00:00:00:00:00'), 'HWSIM_ATTR_ADDR_TRANSMITTER');
    assert.equal(a.get(8)!.readBigUInt64LE(0), 0xabcdefn, 'HWSIM_ATTR_COOKIE');
    assert.equal(a.get(4)!.readUInt32LE(0), 1, 'flags as sent, no ACK for a broadcast frame');
    assert.deepEqual(a.get(7), Buffer.from([0, 1, 0xff, 0, 0xff, 0, 0xff, 0]), 'first rate tried once');
    assert.equal(a.get(6)!.readInt32LE(0), -40, 'HWSIM_ATTR_SIGNAL');
  });

  it('acknowledges a unicast frame an onboard radio with that address received, not one nobody has', () => {
    const { clock, medium, sent, bridge } = setup();
    medium.attach({ mac: hex('02:00:00:00:0a:00'), channel: 1 }, () => {});
    bridge.receive(kernelTx('42:00:00:00:00:00', authentication, { cookie: 1n }));
    const toNobody = Buffer.from(authentication);
    toNobody[9] = 0x99;
    bridge.receive(kernelTx('42:00:00:00:00:00', toNobody, { cookie: 2n }));
    bridge.receive(kernelTx('42:00:00:00:00:00', authentication, { cookie: 3n, flags: 1 | 2 })); // HWSIM_TX_CTL_NO_ACK
    clock.runUntil(10);
    const flags = sent.map(parseSent).filter((m) => m.command === 3).map((m) => [m.attributes.get(8)!.readBigUInt64LE(0), m.attributes.get(4)!.readUInt32LE(0)]);
    assert.deepEqual(flags, [[1n, 1 | 4], [2n, 1], [3n, 1 | 2]]);
    assert.equal(bridge.stats.acked, 1);
  });

  it('injects what an onboard radio sends into every hwsim radio by its hwsim address, with frequency, signal and rate index', () => {
    const { clock, medium, sent, bridge } = setup();
    bridge.addRadio(0);
    bridge.addRadio(1);
    const ap = medium.attach({ mac: hex('02:00:00:00:0a:00'), channel: 11 }, () => {});
    const beacon = hex('8000 0000 ffffffffffff 020000000a00 020000000a00 0000');
    ap.send(beacon, { rate: 2 });
    clock.runUntil(10);
    const frames = sent.map(parseSent).filter((m) => m.command === 2);
    assert.deepEqual(frames.map((m) => m.attributes.get(1)!.toString('hex')), ['420000000000', '420000000100'], 'HWSIM_ATTR_ADDR_RECEIVER');
    for (const m of frames) {
      assert.equal(m.type, FAMILY);
      assert.deepEqual(m.attributes.get(3), beacon);
      assert.equal(m.attributes.get(19)!.readUInt32LE(0), 2462, 'HWSIM_ATTR_FREQ of channel 11');
      assert.equal(m.attributes.get(5)!.readUInt32LE(0), 0, 'HWSIM_ATTR_RX_RATE: 1 Mb/s is index 0');
      assert.equal(m.attributes.get(6)!.readInt32LE(0), -40);
    }
  });

  it('a hwsim radio acknowledges its virtual interfaces\' addresses once the kernel announced them', () => {
    const { clock, medium, bridge } = setup();
    bridge.addRadio(0);
    const sta = medium.attach({ mac: hex('02:00:00:00:0b:00'), channel: 1 }, () => {});
    const toBss = hex('b000 3a01 020000000001 020000000b00 020000000001 1000 0000 0100 0000');
    const acks: boolean[] = [];
    sta.send(toBss, { onStatus: (s) => acks.push(s.acked) });
    clock.runUntil(5);
    // HWSIM_CMD_ADD_MAC_ADDR: transmitter = the radio's hwsim address, receiver = the new address.
    bridge.receive(fromKernel(7, [attribute(2, hex('42:00:00:00:00:00')), attribute(1, hex('02:00:00:00:00:01'))]));
    sta.send(toBss, { onStatus: (s) => acks.push(s.acked) });
    clock.runUntil(10);
    assert.deepEqual(acks, [false, true]);
  });

  it('counts off-channel refusals apart from other kernel errors, and survives garbage', () => {
    const { clock, medium, sent, bridge } = setup();
    bridge.addRadio(0);
    const ap = medium.attach({ mac: hex('02:00:00:00:0a:00'), channel: 6 }, () => {});
    ap.send(hex('8000 0000 ffffffffffff 020000000a00 020000000a00 0000'));
    clock.runUntil(5);
    const seq = sent[0]!.readUInt32LE(8);
    // NLMSG_ERROR: the negative errno, then the header of the message it answers.
    const error = (errno: number, s: number) => {
      const m = Buffer.alloc(36);
      m.writeUInt32LE(36, 0);
      m.writeUInt16LE(2, 4);
      m.writeUInt32LE(s, 8);
      m.writeInt32LE(-errno, 16);
      m.writeUInt32LE(s, 20 + 8);
      return m;
    };
    bridge.receive(error(22, seq));
    bridge.receive(error(1, 12345));
    bridge.receive(Buffer.from('not netlink'));
    bridge.receive(fromKernel(2, [attribute(2, hex('4200'))]));
    bridge.receive(Buffer.alloc(0), true);
    assert.deepEqual(
      { offChannel: bridge.stats.offChannel, kernelErrors: bridge.stats.kernelErrors, badMessages: bridge.stats.badMessages, overruns: bridge.stats.overruns },
      { offChannel: 1, kernelErrors: 1, badMessages: 2, overruns: 1 },
    );
  });
});
