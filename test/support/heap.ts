/**
 * A full garbage collection before a heap reading, so flood tests measure what is retained rather
 * than what happens not to have been collected yet. The test runner does not pass --expose-gc to
 * its child processes, so the flag is set at run time and `gc` taken from a fresh context.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection, in bytes. */
export function retainedHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}
