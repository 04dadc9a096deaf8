/**
 * bench:wire's floor responder (the work it does: wire-floor-work.ts). Opens the interface as the
 * wired driver does (openWiredPort: an AF_PACKET socket through our native addon, member of the
 * PAE group address) and answers each WSC message with its reply frame as soon as it arrives:
 * receive, the floor's work, send, nothing else on the path. Prints `ready` once it listens; a
 * frame it has no answer to ends it with the error (the replayer then reports the missing reply),
 * except the replayer's EAPOL-Start, which it passes over.
 *
 * Before it listens it runs its role's half of the conversation 20 times in process, as a daemon
 * may at start (onboard's self-test does), so a fresh responder's first registration does not
 * time V8 compiling the path: the floor of a cold daemon is a warmed-up one.
 *
 *   node dist/bench/wire-floor.js --role registrar|enrollee --order ahead|inOrder --if IF --conversation FILE
 * FILE: JSON, M1..M8 of one real registration as hex Ethernet frames (bench:wire takes them
 * from the reference's capture in the same run).
 */
import { openWiredPort } from '../src/drivers/wired.js';
import { ANSWERED, newFloor, readConversation } from './wire-floor-work.js';
import type { FloorOrder, FloorRole } from './wire-floor-work.js';
import { stringOption } from './options.js';

const EAPOL_START = 1;

function required(name: string, values?: readonly string[]): string {
  const value = stringOption(name);
  if (value === undefined || (values && !values.includes(value))) {
    console.error(`wire-floor: --${name} ${values ? values.join('|') : 'VALUE'} is required`);
    process.exit(2);
  }
  return value;
}

const role = required('role', ['registrar', 'enrollee']) as FloorRole;
const order = required('order', ['ahead', 'inOrder']) as FloorOrder;
const ifname = required('if');
const conversation = readConversation(required('conversation'));

const rehearsal = newFloor(role, conversation, Buffer.alloc(6), { order });
for (let run = 0; run < 20; run++) {
  for (const i of ANSWERED[role]) {
    rehearsal.answer(Buffer.from(conversation[i]!));
    rehearsal.afterReply();
  }
}

const port = openWiredPort(ifname);
const floor = newFloor(role, conversation, port.mac, { order });
port.onFrame((frame) => {
  // The replayer's EAPOL-Start before the first message: the frame the daemon handled last (wire-floor-replay.ts).
  if (frame[15] === EAPOL_START) return;
  port.send(floor.answer(frame));
  floor.afterReply();
});
// A SIGTERM closes the socket and lets the process end by itself (node's --cpu-prof writes its profile then).
process.once('SIGTERM', () => port.close());
process.stdout.write('ready\n');
