import { readFileSync } from 'node:fs';
import { parseWpaSupplicantConfOrThrow } from '../../src/config/index.js';
import { StaDaemon } from '../../src/daemon/sta-daemon.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { ENROLLEE_MAC } from './wsc-fixtures.js';

/** A STA daemon on the configuration file at `confPath`, with a link that does nothing (control-interface tests). */
export function staDaemonOnFile(confPath: string, ifname = 'eth0'): StaDaemon {
  return new StaDaemon({
    ifname,
    confPath,
    conf: parseWpaSupplicantConfOrThrow(readFileSync(confPath), { file: confPath }).config,
    macAddress: ENROLLEE_MAC,
    scheduler: new VirtualScheduler(),
    link: { startAttempt: () => {}, stopAttempt: () => {} },
    emit: () => {},
  });
}
