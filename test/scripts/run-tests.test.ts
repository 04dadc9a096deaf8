/**
 * scripts/run-tests.mjs over a small fixture tree of test files whose results are known: a short
 * progress view and one summary (counts, time, skipped tests by name, failures with their error),
 * ending with `N passed, N failed` alone on the last line; --verbose shows node's TAP instead.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runner = fileURLToPath(new URL('../../../scripts/run-tests.mjs', import.meta.url));

const PASSING = `import { describe, it } from 'node:test';
describe('arithmetic', () => {
  it('adds', () => {});
  it('measures', (t) => { t.diagnostic('figure: 42 widgets'); });
});
`;
const FAILING = `import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
describe('broken', () => {
  it('compares', () => assert.equal(1, 2));
});
`;
const SKIPPING = `import { it } from 'node:test';
it('needs a tool', { skip: 'tool missing' }, () => {});
it('runs', () => {});
`;

describe('run-tests.mjs', () => {
  let dir: string;
  const tree = (files: Record<string, string>) => {
    const root = mkdtempSync(join(dir, 'tree-'));
    writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(root, name, '..'), { recursive: true });
      writeFileSync(join(root, name), text);
    }
    return root;
  };
  const run = (root: string, ...args: string[]) => {
    // Without NODE_TEST_CONTEXT, which tells a node --test started from a test to report to its parent.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    return spawnSync(process.execPath, [runner, 'unit', ...args], { encoding: 'utf8', env: { ...env, ONBOARD_TEST_ROOT: root, ONBOARD_TEST_VERBOSE: '' } });
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'onboard-run-tests-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('all passing: a progress line, one summary with counts, time and the reported figures, exit 0', () => {
    const r = run(tree({ 'a/one.test.js': PASSING, 'b/two.test.js': PASSING }));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.length < 16, r.stdout);
    assert.match(r.stdout, /^\.\.\.\. 4$/m);
    assert.match(r.stdout, /^unit: 4 tests in 2 files, 4 passed \(\d+\.\d s\)$/m);
    assert.match(r.stdout, /^figures the tests reported:\n {2}figure: 42 widgets\n {2}figure: 42 widgets$/m);
    assert.doesNotMatch(r.stdout, /TAP version|^# /m);
    assert.equal(lines.at(-1), '4 passed, 0 failed');
  });

  it('a failure: named with its file, suite and assertion, exit 1, the last line counts it', () => {
    const r = run(tree({ 'one.test.js': PASSING, 'two.test.js': FAILING }));
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^failed \(1\):\n {2}✗ .*two\.test\.js: broken › compares\n {6}AssertionError \[ERR_ASSERTION\]: Expected values to be strictly equal:/m);
    assert.match(r.stdout, /1 !== 2/);
    assert.equal(r.stdout.trimEnd().split('\n').at(-1), '2 passed, 1 failed');
  });

  it('a skipped test is named with its reason and fails the run', () => {
    const r = run(tree({ 'skip.test.js': SKIPPING }));
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^skipped \(1\):\n {2}.*skip\.test\.js: needs a tool \(tool missing\)\n {2}a skipped test fails the run/m);
    assert.equal(r.stdout.trimEnd().split('\n').at(-1), '1 passed, 0 failed');
  });

  it('a name pattern leaves the other tests out without counting them as skipped', () => {
    const r = run(tree({ 'one.test.js': PASSING }), '--test-name-pattern=adds');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /skipped \(/);
    assert.equal(r.stdout.trimEnd().split('\n').at(-1), '1 passed, 0 failed');
  });

  it('--verbose: node\'s full TAP, then the same summary', () => {
    const r = run(tree({ 'one.test.js': PASSING }), '--verbose');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^TAP version 13$/m);
    assert.match(r.stdout, /^ {4}ok 1 - adds$/m);
    assert.equal(r.stdout.trimEnd().split('\n').at(-1), '2 passed, 0 failed');
  });
});
