/**
 * The library example: the README prints examples/library.ts verbatim (one place of truth), tsc
 * compiles it with the build (tsconfig includes examples/), examples/library.mjs is the same
 * program without the types, and both run against the built package, imported as `onboard`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = new URL('../../', import.meta.url);
const path = (relative: string) => fileURLToPath(new URL(relative, ROOT));
const runNode = (file: string) => execFileSync(process.execPath, [file], { encoding: 'utf8', cwd: path('.') });

describe('library example', () => {
  it('the README shows examples/library.ts as it is', () => {
    const readme = readFileSync(path('README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Library example'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(code, 'the README has a ts block under "Library example"');
    assert.equal(code, readFileSync(path('examples/library.ts'), 'utf8'));
  });

  it('examples/library.ts, compiled by tsc, prints the backhaul SSID with the backhaul flag', () => {
    assert.equal(runNode(path('dist/examples/library.js')), 'home-backhaul true\n');
  });

  it('examples/library.mjs is examples/library.ts without the types: the same program once both are compiled', () => {
    const compile = (file: string) =>
      ts.transpileModule(readFileSync(path(file), 'utf8'), { fileName: file, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, removeComments: true } }).outputText;
    assert.equal(compile('examples/library.mjs'), compile('examples/library.ts'));
  });

  it('examples/library.mjs runs under plain node and prints the same', () => {
    assert.equal(runNode(path('examples/library.mjs')), 'home-backhaul true\n');
  });

  it('from CommonJS: await import() works, as the README says', () => {
    // Inside the package, so the specifier 'onboard' resolves to this package's own exports.
    const file = path('dist/readme-commonjs.cjs');
    writeFileSync(file, "(async () => { const { Registrar } = await import('onboard'); console.log(typeof Registrar); })();\n");
    try {
      assert.equal(runNode(file), 'function\n');
    } finally {
      rmSync(file, { force: true });
    }
  });
});
