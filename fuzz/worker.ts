/**
 * One fuzz campaign in a worker thread (started by runCampaign in engine.ts). Block coverage starts
 * before the targets' modules are imported, so every parser function is compiled under it and
 * measured per branch. The input being run is published through the shared beacon, which is how
 * the main thread recognises a hang and saves the input that caused it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Target, WorkerRequest } from './engine.js';
import { Coverage, InputBeacon, runLoop } from './engine.js';

const request = workerData as WorkerRequest;
const coverage = new Coverage();
coverage.start();
const { TARGETS } = await import('./targets.js');
const target = TARGETS.find((t) => t.name === request.target);
if (!target) throw new Error(`fuzz: no target ${request.target}`);

/** Self-test: the target with a bug planted at its `plantedBug` branch. */
function withPlantedBug(original: Target, how: 'throw' | 'hang'): Target {
  const bug = original.plantedBug;
  if (!bug) throw new Error(`fuzz: target ${original.name} has no planted-bug branch`);
  return {
    ...original,
    run: async (input) => {
      await original.run(input);
      if (!(await bug.reached(input))) return;
      if (how === 'throw') throw new TypeError(`planted bug reached: ${bug.branch}`);
      // A hang that does not burn the CPU: the watchdog must end it.
      const never = new Int32Array(new SharedArrayBuffer(4));
      for (;;) Atomics.wait(never, 0, 0, 1000);
    },
  };
}

const result = await runLoop(request.plant ? withPlantedBug(target, request.plant) : target, coverage, new InputBeacon(request.beacon, request.maxLength), {
  seconds: request.seconds,
  seed: request.seed,
  extraCorpus: request.extraCorpus.map((b) => Buffer.from(b)),
  ...(request.stopAtFirstCrash ? { stopAtFirstCrash: true } : {}),
  ...(request.maxExecutions !== undefined ? { maxExecutions: request.maxExecutions } : {}),
});
coverage.stop();
parentPort!.postMessage(result);
