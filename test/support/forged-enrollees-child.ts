/**
 * The port-exhaustion attack on a real wire, as a child process (needs root for AF_PACKET):
 *   node forged-enrollees-child.js IFNAME REGISTRAR_MAC COUNT PIECE_INTERVAL_MS
 * Prints "started" once the EAPOL-Starts are scheduled; runs until killed.
 */
import { openWiredPort } from '../../src/drivers/wired.js';
import { realScheduler } from '../../src/sim/scheduler.js';
import { parseMac } from '../../src/util/mac.js';
import { ForgedEnrollees } from './forged-enrollees.js';

const [ifname = '', registrarMac = '', count = '64', pieceIntervalMs = '3000'] = process.argv.slice(2);
const port = openWiredPort(ifname);
const forged = new ForgedEnrollees({ count: Number(count), pieceIntervalMs: Number(pieceIntervalMs), registrarMac: parseMac(registrarMac), startSpacingMs: 10 }, realScheduler, port);
port.onFrame((frame) => forged.receive(frame));
forged.start();
process.stdout.write('started\n');
