/** Worker thread of dh-key-pool.ts: one fresh DH key pair per request, its own copy wiped once posted. */
import { parentPort } from 'node:worker_threads';
import { wipe } from '../util/bytes.js';
import { systemRng } from '../util/rng.js';
import { generateDhKeyPair } from '../wsc/crypto.js';

parentPort?.on('message', (count: number) => {
  for (let i = 0; i < count; i++) {
    const pair = generateDhKeyPair(systemRng);
    // Own-sized copies: a Buffer may be a slice of a shared slab, which the message would copy whole.
    const privateKey = new Uint8Array(pair.privateKey);
    parentPort!.postMessage({ privateKey, publicKey: new Uint8Array(pair.publicKey) });
    wipe(pair.privateKey, privateKey);
  }
});
