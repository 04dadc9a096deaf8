import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const bench = fileURLToPath(new URL('../../bench/load.bench.js', import.meta.url));

describe('bench:load', () => {
  it('registers every Enrollee in each mode, each in its own process with the Enrollees in a thread of their own, and reports the figures its bounds come from', () => {
    // The bench throws (non-zero exit) when any registration of any mode fails.
    const run = spawnSync(process.execPath, [bench, '--enrollees', '24', '--bursts', '2', '--rounds', '1', '--shards', '2', '--json'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    type Figures = Record<string, { registrationsPerSecond: number; cpuMsPerRegistration: number; busiestThreadCpuMsPerRegistration: number; cpuMsPerRegistrationByThread: { ap: number; enrollees: number; others: number } }>;
    type Counts = Record<string, number[]>;
    const out = JSON.parse(run.stdout) as { enrollees: number; bursts: number; cores: number; first: Figures; steady: Figures; agreementsInWorkers: Counts };
    assert.equal(out.enrollees, 24);
    assert.equal(out.bursts, 2);
    for (const figures of [out.first, out.steady]) {
      assert.deepEqual(Object.keys(figures), ['oneCore', 'daemon', 'shards']);
      for (const [mode, f] of Object.entries(figures)) {
        assert.ok(f.registrationsPerSecond > 0, mode);
        // A registration cannot cost less CPU than its busiest thread spent on it.
        assert.ok(f.cpuMsPerRegistration >= f.busiestThreadCpuMsPerRegistration, mode);
        assert.ok(f.busiestThreadCpuMsPerRegistration > 0, mode);
        // The Enrollees run in a thread of their own in every mode, the AP in its own threads.
        assert.ok(f.cpuMsPerRegistrationByThread.enrollees > 0, mode);
        assert.ok(f.cpuMsPerRegistrationByThread.ap > 0, mode);
        assert.ok(f.cpuMsPerRegistrationByThread.ap + f.cpuMsPerRegistrationByThread.enrollees + f.cpuMsPerRegistrationByThread.others <= f.cpuMsPerRegistration + 0.002, mode);
      }
    }
    // Pinned to one CPU, onboard ap starts no key-agreement workers; on both cores the overlapping
    // runs of a burst agree their keys in them.
    assert.deepEqual(out.agreementsInWorkers.oneCore, [0]);
    if (out.cores > 1) assert.ok(out.agreementsInWorkers.daemon![0]! > 0, String(out.agreementsInWorkers.daemon));
  });

  it('refuses an unknown mode for a child round', () => {
    const run = spawnSync(process.execPath, [bench, '--child', 'threeCores'], { encoding: 'utf8' });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /--child takes oneCore, daemon, shards/);
  });
});
