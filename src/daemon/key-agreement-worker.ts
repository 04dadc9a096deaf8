/**
 * Worker thread of key-agreement-workers.ts: for each request, a fresh DH key pair (from the OS
 * CSPRNG, used for this one agreement) and Z with the peer's public key. The private key never
 * leaves this thread and is wiped once Z is computed; the next pair is computed right after an
 * answer is posted, so a request waits for one modular exponentiation, not two.
 */
import { parentPort } from 'node:worker_threads';
import { wipe } from '../util/bytes.js';
import { systemRng } from '../util/rng.js';
import type { DhKeyPair } from '../wsc/crypto.js';
import { dhSharedSecret, generateDhKeyPair } from '../wsc/crypto.js';
import type { AgreementAnswer, AgreementAsk } from './key-agreement-workers.js';

const port = parentPort;
if (!port) throw new Error('key-agreement-worker.js runs as a worker thread');

let ready: DhKeyPair | null = generateDhKeyPair(systemRng);

port.on('message', (ask: AgreementAsk) => {
  const pair = ready ?? generateDhKeyPair(systemRng);
  ready = null;
  const secret = dhSharedSecret(pair.privateKey, Buffer.from(ask.peerPublicKey.buffer, ask.peerPublicKey.byteOffset, ask.peerPublicKey.byteLength));
  wipe(pair.privateKey);
  // Own-sized copies: a Buffer may be a slice of a shared slab, which the message would copy whole.
  const answer: AgreementAnswer = { id: ask.id, publicKey: new Uint8Array(pair.publicKey), sharedSecret: secret ? new Uint8Array(secret) : null };
  port.postMessage(answer);
  wipe(secret, answer.sharedSecret);
  ready = generateDhKeyPair(systemRng);
});
