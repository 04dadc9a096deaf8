/**
 * `npm run bench:faults`: the extender's `WPS_PBC multi_ap=1` onboarding on the simulated medium
 * under each fault mix, over N seeds, and how every run ended. A run is given the 120 s walk time
 * plus the connection attempts after it, then 150 s more (five connection-monitor probes) so an AP
 * that forgot the extender has been noticed. `--json` prints one object.
 *
 *   npm run bench:faults [-- --seeds N] [-- --json]
 *
 * Outcomes: onboarded (both ends agree on the backhaul association and its key), clean failure
 * (WPS-FAIL / WPS-TIMEOUT, nothing but backhaul networks written), split (the two ends disagree
 * at the end), other (anything else; named by its events).
 */
import { createWorld, staConf } from '../src/demo/medium-world.js';
import type { FaultConfig } from '../src/sim/medium.js';
import { json, numberOption } from './options.js';

const seeds = numberOption('bench:faults', 'seeds', 20, 1, 1000);

const MIXES: Array<[string, Partial<FaultConfig>]> = [
  ['10% loss', { loss: 0.1 }],
  ['30% reordering', { reorder: 0.3, reorderWindowMs: 5 }],
  ['20% duplication', { duplicate: 0.2 }],
  ['10% loss + 20% reordering + 10% duplication', { loss: 0.1, reorder: 0.2, reorderWindowMs: 5, duplicate: 0.1 }],
  ['30% loss', { loss: 0.3 }],
];

type Outcome = 'onboarded' | 'clean failure' | 'split' | 'other';

async function run(faults: Partial<FaultConfig>, seed: number): Promise<Outcome> {
  const w = createWorld({ faults, seed, recordFrames: false });
  try {
    const ext = w.addSta('extender', '02:00:00:00:01:00', staConf('extender'));
    await w.gatewayCommand('WPS_PBC');
    await ext.command('WPS_PBC multi_ap=1');
    const ended = () => ext.radio.connectedBssid !== null || ext.events.some((e) => /^WPS-(FAIL|TIMEOUT)/.test(e));
    w.runUntil(ended, 180_000);
    w.runUntil(() => false, 150_000);
    await ext.daemon.settled();
    const station = w.radio.station(1, ext.mac);
    const staUp = ext.radio.connectedBssid !== null;
    const apUp = station?.state === 'connected';
    if (staUp && apUp && station.tk && ext.radio.tk && station.tk.equals(ext.radio.tk)) return 'onboarded';
    if (staUp !== apUp) return 'split';
    const clean = ext.events.some((e) => /^WPS-(FAIL|TIMEOUT)/.test(e)) && ext.daemon.config.networks.every((n) => n.ssid?.toString() === 'home-backhaul');
    return clean && !staUp ? 'clean failure' : 'other';
  } finally {
    w.close();
  }
}

const rows: Array<{ faults: string; counts: Record<Outcome, number> }> = [];
for (const [name, faults] of MIXES) {
  const counts: Record<Outcome, number> = { onboarded: 0, 'clean failure': 0, split: 0, other: 0 };
  for (let seed = 1; seed <= seeds; seed++) counts[await run(faults, seed)]++;
  rows.push({ faults: name, counts });
  if (!json) console.log(`${name.padEnd(46)} onboarded ${counts.onboarded}  clean failure ${counts['clean failure']}  split ${counts.split}  other ${counts.other}`);
}
if (json) console.log(JSON.stringify({ seeds, rows }));
