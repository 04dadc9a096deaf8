/** A key-agreement worker with a bug: it throws on its first request, so the thread dies with an error. */
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', () => {
  throw new TypeError('bug in a key-agreement worker (test)');
});
