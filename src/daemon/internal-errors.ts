/**
 * Where a running daemon puts the bugs it meets: an exception that is not one of our typed errors
 * (a malformed frame or a refused command is a typed error and never gets here). Each one is
 * logged at error level with its stack and counted; the caller then ends the session or request
 * it hit and goes on serving the others. Without a report the bug propagates, which is what tests
 * and fuzz targets want.
 */
import { OnboardError } from '../util/errors.js';
import { formatMac } from '../util/mac.js';

export class InternalErrorReport {
  private countValue = 0;

  constructor(private readonly log: (line: string) => void) {}

  /** Bugs reported since the daemon started. */
  get count(): number {
    return this.countValue;
  }

  /** `where` names what was being served (a peer's MAC, a control command). */
  report(error: unknown, where: string): void {
    this.countValue++;
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `non-Error value thrown: ${String(error)}`;
    this.log(`internal error #${this.countValue} while serving ${where}: ${text}`);
  }

  /** The same for a peer of the 802.1X/EAP path. */
  reportPeer(error: unknown, peer: Buffer | null): void {
    this.report(error, peer ? `peer ${formatMac(peer)}` : 'an unknown peer');
  }
}

/** The typed error a handler throws after its bug was reported: the EAP layer then ends that run with EAP-Failure. */
export class ReportedInternalError extends OnboardError {
  constructor(where: string) {
    super('internal-error', `internal error while serving ${where}; reported`);
  }
}
