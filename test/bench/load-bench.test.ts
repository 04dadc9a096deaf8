import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const bench = fileURLToPath(new URL('../../bench/load.bench.js', import.meta.url));

describe('bench:load', () => {
  it('registers every Enrollee in each mode, each in its own process, and reports the figures its bounds come from', () => {
    // The bench throws (non-zero exit) when any registration of any mode fails.
    const run = spawnSync(process.execPath, [bench, '--enrollees', '24', '--rounds', '1', '--shards', '2', '--json'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as {
      enrollees: number;
      modes: Record<string, { registrationsPerSecond: number; cpuMsPerRegistration: number; busiestThreadCpuMsPerRegistration: number; ratioBoundByCpu: number }>;
    };
    assert.equal(out.enrollees, 24);
    assert.deepEqual(Object.keys(out.modes), ['oneCore', 'keyWorker', 'shards']);
    for (const [mode, figures] of Object.entries(out.modes)) {
      assert.ok(figures.registrationsPerSecond > 0, mode);
      // A registration cannot cost less CPU than its busiest thread spent on it.
      assert.ok(figures.cpuMsPerRegistration >= figures.busiestThreadCpuMsPerRegistration, mode);
      assert.ok(figures.busiestThreadCpuMsPerRegistration > 0, mode);
    }
  });

  it('refuses an unknown mode for a child round', () => {
    const run = spawnSync(process.execPath, [bench, '--child', 'threeCores'], { encoding: 'utf8' });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /--child takes oneCore, keyWorker, shards/);
  });
});
