/**
 * A short slice of the fuzz campaign in CI (200 inputs per target from its seeds, fixed seed: a
 * budget in inputs, so a loaded machine runs the same slice, only slower), and
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

const SLICE_INPUTS = 200;
/** Only stops a runaway; the slice is the inputs. */
const MAX_S = 120;

describe(`fuzz slice (${SLICE_INPUTS} inputs per target)`, () => {
  for (const target of TARGETS) {
    it(`${target.name}: no crash`, async () => {
      const result = await runCampaign(target.name, MAX_S, { seed: 12345, maxExecutions: SLICE_INPUTS });
      assert.ok(result.executions >= SLICE_INPUTS, `${result.executions} executions`);
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
