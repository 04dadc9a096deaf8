#!/usr/bin/env node
// Runs the compiled test files with node:test. Suites:
//   unit     dist/test/**/*.test.js except *.interop.test.js
//   interop  dist/test/**/*.interop.test.js (needs root; see scripts/setup-system.sh)
// Extra arguments are passed to `node --test` (e.g. --test-name-pattern).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const [suite = 'unit', ...extra] = process.argv.slice(2);
const root = new URL('..', import.meta.url).pathname;
const testRoot = join(root, 'dist', 'test');

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const all = walk(testRoot).sort();
const files = all.filter((f) => (suite === 'interop') === f.endsWith('.interop.test.js'));
if (files.length === 0) {
  console.error(`run-tests: no ${suite} test files under ${testRoot}`);
  process.exit(1);
}
const concurrency = suite === 'interop' ? '1' : '2';
const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...extra, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
