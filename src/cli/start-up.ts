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

/** DH key pairs the AP keeps ready: enough for a few Enrollees arriving together. */
export const AP_KEY_PAIRS = 4;
/** A STA's: one per WPS run. */
export const STA_KEY_PAIRS = 1;

/** The self-test, then the daemon's key-pair pool; null (the reason printed) when the self-test failed. */
export function startUp(log: Logger, io: ProcessIo, keyPairs: number): DhKeyPool | null {
  try {
    const result = runSelfTest();
    log.debug(`self-test: crypto known answers and ${result.registrations} registrations passed (${result.ms.toFixed(0)} ms)`);
  } catch (error) {
    if (!(error instanceof SelfTestError)) throw error;
    io.stderr(`onboard: ${error.message}\n`);
    return null;
  }
  return daemonKeyPool(keyPairs);
}

/**
 * Filled before the daemon serves anyone; each replacement made on the daemon's own thread, 100 ms
 * after its take (laterProducer), as hostapd and wpa_supplicant are single-threaded too.
 */
export function daemonKeyPool(size: number): DhKeyPool {
  return new DhKeyPool({ size, producer: laterProducer(systemRng), rng: systemRng, fillNow: true });
}
