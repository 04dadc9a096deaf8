/**
 * `npm run fuzz -- [--seconds N] [--target NAME] [--seed N] [--timeout MS] [--jobs J] [--json]`: a campaign of
 * N seconds per target (default 10), each in its own worker, J targets at a time (default 1). Prints per target: executions,
 * executions per second, corpus size, covered code blocks of src/, distinct crashes. An input
 * running longer than MS (default 2000) is a hang and counts as a crash. New crashes (minimised)
 * go to fuzz/crashes/<target>/ and the run exits 1; the regression test replays that directory.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CampaignResult } from './engine.js';
import { runCampaign } from './engine.js';
import { TARGETS } from './targets.js';

const FUZZ_DIR = fileURLToPath(new URL('../../fuzz/', import.meta.url));

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seconds = Number(arg('--seconds') ?? 10);
const seed = Number(arg('--seed') ?? Date.now() % 100000);
const only = arg('--target');
const inputTimeoutMs = Number(arg('--timeout') ?? 2000);
const jobs = Math.max(1, Number(arg('--jobs') ?? 1));
const json = process.argv.includes('--json');
const targets = TARGETS.filter((t) => !only || t.name === only);
if (targets.length === 0) {
  console.error(`fuzz: no target ${only}; targets: ${TARGETS.map((t) => t.name).join(', ')}`);
  process.exit(2);
}

function savedCorpus(name: string): Buffer[] {
  const dir = join(FUZZ_DIR, 'crashes', name);
  return existsSync(dir) ? readdirSync(dir).map((f) => readFileSync(join(dir, f))) : [];
}

const results: CampaignResult[] = [];
const queue = [...targets];
async function worker(): Promise<void> {
  for (let target = queue.shift(); target; target = queue.shift()) {
    const result = await runCampaign(target.name, seconds, { seed, extraCorpus: savedCorpus(target.name), inputTimeoutMs });
    results.push(result);
    for (const crash of result.crashes) {
      const dir = join(FUZZ_DIR, 'crashes', target.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, crash.hash), crash.input);
    }
    if (!json) {
      console.log(
        `${target.name.padEnd(20)} ${String(result.executions).padStart(9)} execs ${String(result.execsPerSecond).padStart(7)}/s  corpus ${String(result.corpus).padStart(5)}  blocks ${String(result.coveredBlocks).padStart(5)}  crashes ${result.crashes.length}`,
      );
      for (const crash of result.crashes) console.log(`    ${crash.hash}: ${crash.message.split('\n')[0]}`);
    }
  }
}
await Promise.all(Array.from({ length: jobs }, () => worker()));
if (json) console.log(JSON.stringify({ seconds, seed, results: results.map((r) => ({ ...r, crashes: r.crashes.map((c) => ({ hash: c.hash, message: c.message })) })) }));
process.exit(results.some((r) => r.crashes.length > 0) ? 1 : 0);
