/**
 * The fuzzer finds what it is meant to find. For every target a bug is planted at one branch of
 * its parser that no seed reaches (Target.plantedBug: a condition checked after the target ran, so
 * nothing in the product changes) and a campaign with a fixed seed must report it, with the input
 * that reaches it, within BUDGET_INPUTS inputs (a budget in inputs, not seconds: with a fixed seed it
 * is the same campaign on a loaded machine; MAX_S only stops a runaway). A hang planted the same way is reported as a crash with its
 * input once it exceeds the per-input timeout. Coverage is per block (it starts before the
 * targets' modules load), and every input runs on fresh state, so saved inputs replay alone.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crashOf, runCampaign } from '../../fuzz/engine.js';
import { TARGETS } from '../../fuzz/targets.js';

const BUDGET_INPUTS = 40_000;
const MAX_S = 600;
const BUDGET_S = 30;

describe('fuzzer self-test: a planted bug in each parser is found', () => {
  for (const target of TARGETS) {
    const bug = target.plantedBug!;
    it(`${target.name}: ${bug.branch}`, async (t) => {
      for (const seed of target.seeds()) assert.equal(await bug.reached(seed), false, 'a seed already reaches the planted branch');
      const result = await runCampaign(target.name, MAX_S, { seed: 1, plant: 'throw', stopAtFirstCrash: true, maxExecutions: BUDGET_INPUTS });
      t.diagnostic(`${target.name}: found after ${result.executions} executions, ${Math.round(result.elapsedMs)} ms`);
      assert.deepEqual(result.crashes.map((c) => c.message.split('\n')[0]), [`TypeError: planted bug reached: ${bug.branch}`]);
      assert.equal(await bug.reached(result.crashes[0]!.input), true, 'the saved input reaches the branch on its own');
    });
  }
});

describe('fuzzer self-test: hangs, coverage, replay', () => {
  it('an input that hangs is reported as a crash, with that input, after the per-input timeout', async () => {
    const target = TARGETS.find((t) => t.name === 'eap-reassembly')!;
    const result = await runCampaign(target.name, BUDGET_S, { seed: 1, plant: 'hang', inputTimeoutMs: 500 });
    assert.deepEqual(result.crashes.map((c) => c.message), ['timeout: one input ran longer than 500 ms']);
    assert.equal(await target.plantedBug!.reached(result.crashes[0]!.input), true);
    assert.ok(result.elapsedMs < 10_000, `${Math.round(result.elapsedMs)} ms`);
  });

  it('coverage is measured per block of the parsers, not per function: a 2 s wsc-message campaign keeps many inputs', async (t) => {
    const result = await runCampaign('wsc-message', 2, { seed: 1 });
    t.diagnostic(`wsc-message, 2 s: ${result.executions} executions, corpus ${result.corpus}, ${result.coveredBlocks} blocks`);
    // Measured per function (coverage started after the import) the same campaign kept 2 inputs.
    assert.ok(result.corpus >= 10, `corpus ${result.corpus}`);
  });

  it('a control-interface input carries its own history: 600 ADD_NETWORK then LIST_NETWORKS replays on a fresh daemon', async () => {
    const target = TARGETS.find((t) => t.name === 'ctrl-sta')!;
    const input = Buffer.from(`${'ADD_NETWORK\x1e'.repeat(600)}LIST_NETWORKS`);
    // The reply stays within the 4096-byte reply buffer (paged with LAST_ID=), whatever ran before.
    assert.equal(await crashOf(target, Buffer.from('ADD_NETWORK')), null);
    assert.equal(await crashOf(target, input), null);
    assert.equal(await target.plantedBug!.reached(input), true, 'the input builds its own networks');
    assert.equal(await target.plantedBug!.reached(Buffer.from('LIST_NETWORKS')), false, 'nothing is left from the input before');
  });
});
