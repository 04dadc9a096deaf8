/**
 * Drives bench:wire's floor responder (wire-floor.ts) from the other end of the veth pair: the
 * real daemons will not talk to a responder that runs no protocol, so this sends the real
 * captured messages of the side the responder does not play (M1, M3, M5, M7 to a Registrar; M2,
 * M4, M6 to an Enrollee), each once the reply to the previous one has arrived. Every reply must
 * come within 5 s, be the message expected and have the real reply's size, addressed to the
 * run's Enrollee address; otherwise it exits 1 saying what was wrong. The timing is bench:wire's,
 * from its capture on the responder's end.
 *
 * The gaps are the real peer's: how long a process has slept before a frame arrives changes how
 * long it takes to wake and answer (on this VM 0.1-0.2 ms more after 5 ms idle than after none,
 * for any process), so the responder must not sleep longer than the daemon it stands for did.
 * Each run gives, per message, how long to wait before sending it: bench:wire takes the time from
 * the frame before it to it in the reference's registration just before, as seen at the
 * responder's end, less how much later than asked this replayer's messages arrived there in its
 * previous runs. The first message follows an EAPOL-Start by its wait, which the responder passes
 * over: it stands for the frame the daemon handled last (hostapd: the Identity it answered with
 * WSC_Start; wpa_supplicant: the M1 it sent). Each later one goes out its wait after the reply's
 * arrival here; it spins, since a timer is not that fine. The process stays up for all of a
 * target's runs, so from the bench's first (unmeasured) run on its own code is compiled.
 *
 *   node dist/bench/wire-floor-replay.js --role registrar|enrollee --if IF --conversation FILE
 * --role is the responder's. Each line on stdin, `run MAC G1,G2,..` (MAC: the Enrollee's address,
 * the sender's own for a Registrar, the destination for an Enrollee, which the bench gives that
 * end first; G: the waits in µs, one per message sent), is one registration; it answers `done`.
 */
import { createInterface } from 'node:readline';
import { openWiredPort } from '../src/drivers/wired.js';
import { formatMac, parseMac } from '../src/util/mac.js';
import { ANSWERED, messageTypeOf, readConversation, wscMessage } from './wire-floor-work.js';
import type { FloorRole } from './wire-floor-work.js';
import { stringOption } from './options.js';

const role = stringOption('role') as FloorRole;
const ifname = stringOption('if');
const conversationPath = stringOption('conversation');
if (!['registrar', 'enrollee'].includes(role) || !ifname || !conversationPath) {
  console.error('wire-floor-replay: --role registrar|enrollee --if IF --conversation FILE');
  process.exit(2);
}
const conversation = readConversation(conversationPath);
const port = openWiredPort(ifname);

function fail(reason: string): never {
  console.error(`wire-floor-replay: ${reason}`);
  process.exit(1);
}

function spinUntil(deadline: bigint): void {
  while (process.hrtime.bigint() < deadline);
}

let mac = Buffer.alloc(6);
let expected: { index: number; resolve: () => void } | null = null;
let repliedAt = 0n;
port.onFrame((frame) => {
  repliedAt = process.hrtime.bigint();
  let what;
  try {
    what = `message type ${messageTypeOf(wscMessage(frame))}`;
  } catch (error) {
    fail(`an EAPOL frame that is no WSC message: ${(error as Error).message}`);
  }
  if (!expected) fail(`${what} when no reply was due`);
  const template = conversation[expected.index]!;
  const wanted = `message type ${messageTypeOf(wscMessage(template))}`;
  if (what !== wanted) fail(`${what} where ${wanted} (M${expected.index + 1}) was due`);
  if (frame.length !== template.length) fail(`M${expected.index + 1} of ${frame.length} bytes, the real one has ${template.length}`);
  const addressed = role === 'registrar' ? frame.subarray(0, 6) : frame.subarray(6, 12);
  if (!addressed.equals(mac)) fail(`M${expected.index + 1} ${role === 'registrar' ? 'to' : 'from'} ${formatMac(addressed)}, not ${formatMac(mac)}`);
  const { resolve } = expected;
  expected = null;
  resolve();
});

/** The frame with this run's addresses: from the Enrollee to the group address, or from here to the Enrollee. */
function addressed(frame: Buffer): Buffer {
  if (role === 'registrar') mac.copy(frame, 6);
  else {
    mac.copy(frame, 0);
    port.mac.copy(frame, 6);
  }
  return frame;
}

// EAPOL-Start (802.1X-2004).
const EAPOL_START = Buffer.from('0180c2000003000000000000888e02010000', 'hex');

async function registration(gapsUs: number[]): Promise<void> {
  port.send(addressed(Buffer.from(EAPOL_START)));
  let sendAt = process.hrtime.bigint() + BigInt(Math.round(gapsUs[0]! * 1000));
  for (const [k, i] of ANSWERED[role].entries()) {
    const frame = addressed(Buffer.from(conversation[i]!));
    const replied = new Promise<void>((resolve) => (expected = { index: i + 1, resolve }));
    const timeout = setTimeout(() => fail(`no M${i + 2} within 5 s of M${i + 1}`), 5000);
    spinUntil(sendAt);
    port.send(frame);
    await replied;
    clearTimeout(timeout);
    sendAt = repliedAt + BigInt(Math.round((gapsUs[k + 1] ?? 0) * 1000));
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const [command, macText, gaps] = line.split(' ');
  const gapsUs = (gaps ?? '').split(',').map(Number);
  if (command !== 'run' || !macText || gapsUs.length !== ANSWERED[role].length || gapsUs.some((g) => !(g >= 0))) fail(`not a command: ${line}`);
  mac = Buffer.from(parseMac(macText));
  await registration(gapsUs);
  process.stdout.write('done\n');
}
port.close();
