/** scripts/run-tests.mjs fails a run in which any test was skipped (CI must run every test). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNNER = fileURLToPath(new URL('../../../scripts/run-tests.mjs', import.meta.url));

function runOn(files: Record<string, string>): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'run-tests-fixture-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    // Without NODE_TEST_CONTEXT: the runner's `node --test` must report as a top-level run, not to us.
    const env: NodeJS.ProcessEnv = { ...process.env, ONBOARD_TEST_ROOT: dir };
    delete env.NODE_TEST_CONTEXT;
    const result = spawnSync(process.execPath, [RUNNER, 'unit'], { env, encoding: 'utf8' });
    return { status: result.status, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/run-tests.mjs', () => {
  it('passes a run where every test ran and passed', () => {
    assert.equal(runOn({ 'a.test.js': "import { it } from 'node:test';\nit('runs', () => {});\n" }).status, 0);
  });

  it('fails a run in which a test was skipped, naming it', () => {
    const result = runOn({
      'a.test.js': "import { it } from 'node:test';\nit('runs', () => {});\n",
      'b.test.js': "import { it } from 'node:test';\nit('needs a file', { skip: '/x not present' }, () => {});\n",
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /1 test\(s\) skipped; every test must run:\n.*b\.test\.js: needs a file: \/x not present/);
  });
});
