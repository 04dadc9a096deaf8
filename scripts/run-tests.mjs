#!/usr/bin/env node
// Runs the compiled test files with node:test. Suites:
//   unit     dist/test/**/*.test.js except *.interop.test.js
//   interop  dist/test/**/*.interop.test.js (needs root; see scripts/setup-system.sh)
//   interop-if-root  the interop suite after scripts/setup-system.sh when running as root (CI);
//                    otherwise a notice that it was not run
// Extra arguments are passed to `node --test` (e.g. --test-name-pattern).
// A run without extra arguments fails when any test was skipped (CI must run every test).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

let [suite = 'unit', ...extra] = process.argv.slice(2);
const root = new URL('..', import.meta.url).pathname;
if (suite === 'interop-if-root') {
  if (process.getuid?.() !== 0) {
    console.log('run-tests: interop suite not run (needs root for namespaces, veth pairs and raw sockets); run `sudo npm run test:interop`');
    process.exit(0);
  }
  const setup = spawnSync('bash', [join(root, 'scripts', 'setup-system.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
  suite = 'interop';
}
// ONBOARD_TEST_ROOT: another compiled test tree (the runner's own test points it at a fixture).
const testRoot = process.env.ONBOARD_TEST_ROOT ?? join(root, 'dist', 'test');
// On a fresh machine `npm ci` ran before setup-system.sh installed gcc, so the native part may
// be missing: build it now rather than fail every interop case on "native sockets unavailable".
if (suite === 'interop' && !existsSync(join(root, 'build', 'native', 'onboard-sockets.node'))) {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-addon.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

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
// The usual reporter on stdout, and a second one that lists skipped tests in a file. With extra
// arguments (a name pattern skips the rest on purpose) skips are allowed.
const skipDir = mkdtempSync(join(tmpdir(), 'onboard-tests-'));
const skipList = join(skipDir, 'skipped.txt');
const reporters = [
  `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`,
  '--test-reporter-destination=stdout',
  `--test-reporter=${join(root, 'scripts', 'skipped-tests-reporter.mjs')}`,
  `--test-reporter-destination=${skipList}`,
];
const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...reporters, ...extra, ...files], { stdio: 'inherit' });
const skipped = existsSync(skipList) ? readFileSync(skipList, 'utf8').trim() : '';
rmSync(skipDir, { recursive: true, force: true });
if (skipped && extra.length === 0) {
  console.error(`run-tests: ${skipped.split('\n').length} test(s) skipped; every test must run:\n${skipped}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
