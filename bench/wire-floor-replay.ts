/**
 * Drives bench:wire's floor responder (wire-floor.ts) from the other end of the veth pair: the
 * real daemons will not talk to a responder that runs no protocol, so this sends the real
 * captured messages of the side the responder does not play (M1, M3, M5, M7 to a Registrar; M2,
 * M4, M6 to an Enrollee), each once the reply to the previous one has arrived and a gap like a
 * real peer's has passed (1 ms). Every reply must come within 5 s, be the message expected and
 * have the real reply's size, addressed to `--mac`; otherwise it exits 1 saying what was wrong.
 * The timing is bench:wire's, from its capture on the responder's end.
 *
 *   node dist/bench/wire-floor-replay.js --role registrar|enrollee --if IF --conversation FILE --mac MAC
 * --role is the responder's; MAC the Enrollee's address for this run (the sender's own for a
 * Registrar, the destination for an Enrollee: the bench gives that end the address first).
 */
import { openWiredPort } from '../src/drivers/wired.js';
import { formatMac, parseMac } from '../src/util/mac.js';
import { ANSWERED, messageTypeOf, readConversation, wscMessage } from './wire-floor-work.js';
import type { FloorRole } from './wire-floor-work.js';
import { stringOption } from './options.js';

const role = stringOption('role') as FloorRole;
const ifname = stringOption('if');
const conversationPath = stringOption('conversation');
const macText = stringOption('mac');
if (!['registrar', 'enrollee'].includes(role) || !ifname || !conversationPath || !macText) {
  console.error('wire-floor-replay: --role registrar|enrollee --if IF --conversation FILE --mac MAC');
  process.exit(2);
}
const mac = Buffer.from(parseMac(macText));
const conversation = readConversation(conversationPath);
const port = openWiredPort(ifname);

function fail(reason: string): never {
  console.error(`wire-floor-replay: ${reason}`);
  process.exit(1);
}

let expected: { index: number; resolve: () => void } | null = null;
port.onFrame((frame) => {
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
  if (!addressed.equals(mac)) fail(`M${expected.index + 1} ${role === 'registrar' ? 'to' : 'from'} ${formatMac(addressed)}, not ${macText}`);
  const { resolve } = expected;
  expected = null;
  resolve();
});

for (const i of ANSWERED[role]) {
  const frame = Buffer.from(conversation[i]!);
  if (role === 'registrar') mac.copy(frame, 6);
  else {
    mac.copy(frame, 0);
    port.mac.copy(frame, 6);
  }
  const replied = new Promise<void>((resolve) => (expected = { index: i + 1, resolve }));
  const timeout = setTimeout(() => fail(`no M${i + 2} within 5 s of M${i + 1}`), 5000);
  port.send(frame);
  await replied;
  clearTimeout(timeout);
  await new Promise((r) => setTimeout(r, 1));
}
port.close();
