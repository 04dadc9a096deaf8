/**
 * What both daemons do before they serve anyone: the self-test (crypto known answers, then
 * registrations that also warm the path; daemon/self-test.ts), and a pool of DH key pairs filled
 * ahead of the first Enrollee. A failed self-test stops the start.
 */
import { DhKeyPool, laterProducer } from '../daemon/dh-key-pool.js';
import { runSelfTest, SelfTestError } from '../daemon/self-test.js';
import type { Logger } from '../util/logger.js';
import { systemRng } from '../util/rng.js';
import type { ProcessIo } from './process-io.js';

/** The key-pair pool, or null (the reason printed) when the self-test failed. */
export function startUp(log: Logger, io: ProcessIo, keyPairs: number): DhKeyPool | null {
  try {
    const result = runSelfTest();
    log.debug(`self-test: crypto known answers and ${result.registrations} registrations passed (${result.ms.toFixed(0)} ms)`);
  } catch (error) {
    if (!(error instanceof SelfTestError)) throw error;
    io.stderr(`onboard: ${error.message}\n`);
    return null;
  }
  return new DhKeyPool({ size: keyPairs, producer: laterProducer(systemRng), rng: systemRng, fillNow: true });
}
