// A node:test reporter that writes one line per skipped test (file, name, reason) and nothing
// else; scripts/run-tests.mjs runs it beside the normal reporter and fails the run when it wrote
// anything, so a test that cannot run here (a missing file, no root) never passes silently in CI.
export default async function* skippedTests(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { skip, name, file } = event.data;
    if (skip === undefined || skip === false) continue;
    yield `${file ?? '?'}: ${name}: ${skip === true ? 'skipped' : skip}\n`;
  }
}
