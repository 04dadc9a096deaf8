/** The README's library example runs as printed, against the built package (imported as `onboard`). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = new URL('../../', import.meta.url);

describe('README library example', () => {
  it("runs and prints the backhaul SSID with the backhaul flag", () => {
    const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
    const section = readme.slice(readme.indexOf('## Library example'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(code, 'the README has a ts block under "Library example"');
    const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    // Inside the package, so `import ... from 'onboard'` resolves to this package's own exports.
    const file = fileURLToPath(new URL('dist/readme-example.mjs', ROOT));
    writeFileSync(file, js);
    try {
      assert.equal(execFileSync(process.execPath, [file], { encoding: 'utf8' }), 'home-backhaul true\n');
    } finally {
      rmSync(file, { force: true });
    }
  });
});
