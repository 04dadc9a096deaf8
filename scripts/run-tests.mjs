#!/usr/bin/env node
// Runs the compiled test files with node:test. Usage: run-tests.mjs SUITE... [--verbose] [ARGS]
//   unit     dist/test/**/*.test.js except *.interop.test.js and *.air.test.js
//   interop  dist/test/**/*.interop.test.js (needs root; see scripts/setup-system.sh)
//   interop-if-root  the interop suite after scripts/setup-system.sh when running as root (CI);
//                    otherwise a notice that it was not run
//   air      dist/test/**/*.air.test.js: the real daemons on mac80211_hwsim in a QEMU guest
//            (scripts/air-vm.sh; needs root; boots the VM once, about 5 min on 2 cores)
//   air-if-root  the air suite when running as root (CI); otherwise a notice that it was not run
// Several suites run one after the other and end in one summary (scripts/test-summary.mjs):
// counts and time, every skipped test named, every failure with its error, and last, alone on a
// line, `N passed, N failed`. While they run, one character per test (progress-reporter.mjs).
// --verbose (or ONBOARD_TEST_VERBOSE=1) shows node's full TAP output instead of the progress.
// Other arguments are passed to `node --test` (e.g. --test-name-pattern); without them, a
// skipped test fails the run (CI must run every test).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { summarize } from './test-summary.mjs';

const SUITES = ['unit', 'interop', 'interop-if-root', 'air', 'air-if-root'];
const args = process.argv.slice(2);
const suites = [];
while (args.length > 0 && SUITES.includes(args[0])) suites.push(args.shift());
if (suites.length === 0) suites.push('unit');
const verbose = args.includes('--verbose') || process.env.ONBOARD_TEST_VERBOSE === '1';
const extra = args.filter((a) => a !== '--verbose');
const root = new URL('..', import.meta.url).pathname;
// ONBOARD_TEST_ROOT: another compiled test tree (the runner's own test points it at a fixture).
const testRoot = process.env.ONBOARD_TEST_ROOT ?? join(root, 'dist', 'test');

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

/** One suite: { suite, files, durationMs, exitCode, records } or { suite, notRun }. */
function runSuite(requested) {
  let suite = requested;
  if (suite === 'air-if-root') {
    if (process.getuid?.() !== 0) return { suite: 'air', notRun: 'needs root for QEMU, the kernel cache and 9p; run `sudo npm run test:air`' };
    suite = 'air';
  }
  if (suite === 'interop-if-root') {
    if (process.getuid?.() !== 0) {
      return { suite: 'interop', notRun: 'needs root for namespaces, veth pairs and raw sockets; run `sudo npm run test:interop`' };
    }
    const setup = spawnSync('bash', [join(root, 'scripts', 'setup-system.sh')], { stdio: 'inherit' });
    if (setup.status !== 0) process.exit(setup.status ?? 1);
    suite = 'interop';
  }
  // On a fresh machine `npm ci` ran before setup-system.sh installed gcc, so the native part may
  // be missing: build it now rather than fail every interop case on "native sockets unavailable".
  if (suite === 'interop' && !existsSync(join(root, 'build', 'native', 'onboard-sockets.node'))) {
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-addon.mjs')], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const kindOf = (f) => (f.endsWith('.interop.test.js') ? 'interop' : f.endsWith('.air.test.js') ? 'air' : 'unit');
  const files = walk(testRoot).sort().filter((f) => kindOf(f) === suite);
  if (files.length === 0) {
    console.error(`run-tests: no ${suite} test files under ${testRoot}`);
    process.exit(1);
  }
  const concurrency = suite === 'unit' ? '2' : '1';
  const dir = mkdtempSync(join(tmpdir(), 'onboard-tests-'));
  const resultsFile = join(dir, 'results.jsonl');
  const reporters = [
    `--test-reporter=${verbose ? 'tap' : join(root, 'scripts', 'progress-reporter.mjs')}`,
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts', 'results-reporter.mjs')}`,
    `--test-reporter-destination=${resultsFile}`,
  ];
  console.log(`run-tests: ${suite} suite, ${files.length} files${verbose ? '' : ' (. passed, F failed, C cancelled, S skipped; --verbose for the full TAP)'}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...reporters, ...extra, ...files], { stdio: 'inherit' });
  const durationMs = Date.now() - started;
  const text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
  rmSync(dir, { recursive: true, force: true });
  const records = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  return { suite, files: files.length, durationMs, exitCode: result.status ?? 1, records };
}

const runs = suites.map(runSuite);
// With node --test arguments (a name pattern, say) tests may be left out on purpose.
const skipsFail = extra.length === 0;
const { text, totals, skipped } = summarize(runs, { skipsFail });
console.log('');
process.stdout.write(text);
const failed = totals.failed > 0 || runs.some((r) => !r.notRun && r.exitCode !== 0) || (skipsFail && skipped.length > 0);
process.exit(failed ? 1 : 0);
