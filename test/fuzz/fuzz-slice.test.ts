/**
 * A short slice of the fuzz campaign in CI (one second per target from its seeds, fixed seed), and
 * every input in fuzz/crashes/ replayed: each once crashed a parser and must not any more.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crashOf, runCampaign } from '../../fuzz/engine.js';
import { TARGETS } from '../../fuzz/targets.js';

const CRASHES = fileURLToPath(new URL('../../../fuzz/crashes/', import.meta.url));

describe('fuzz slice (1 s per target)', () => {
  for (const target of TARGETS) {
    it(`${target.name}: no crash`, async () => {
      const result = await runCampaign(target.name, 1, { seed: 12345 });
      assert.ok(result.executions > 20, `${result.executions} executions`);
      assert.deepEqual(result.crashes.map((c) => `${c.hash}: ${c.message.split('\n')[0]}`), []);
    });
  }
});

describe('fuzz regressions (fuzz/crashes)', () => {
  const dirs = existsSync(CRASHES) ? readdirSync(CRASHES) : [];
  it('every saved crash input belongs to a known target', () => {
    for (const dir of dirs) assert.ok(TARGETS.some((t) => t.name === dir), dir);
  });
  for (const dir of dirs) {
    const target = TARGETS.find((t) => t.name === dir);
    if (!target) continue;
    for (const file of readdirSync(join(CRASHES, dir))) {
      it(`${dir}/${file} no longer crashes`, async () => {
        assert.equal(await crashOf(target, readFileSync(join(CRASHES, dir, file))), null);
      });
    }
  }
});
