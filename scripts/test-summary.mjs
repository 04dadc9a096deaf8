// The one summary `npm test` ends with: counts and time per suite, every skipped test by name,
// every failure with its error (and what its file printed), then the totals and, alone on the
// last line, `N passed, N failed` for CI to read.

const STACK_LINES = 12;
const STDERR_LINES = 30;

function indent(text, prefix) {
  return text.replace(/\n+$/, '').split('\n').map((line) => prefix + line).join('\n');
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * `runs`: [{ suite, files, durationMs, records }] (records from results-reporter.mjs, or
 * `notRun: reason`). `options.skipsFail`: say that the skipped tests fail the run. Returns the
 * summary text and the totals.
 */
export function summarize(runs, options = {}) {
  const lines = [];
  const totals = { passed: 0, failed: 0, cancelled: 0, skipped: 0, todo: 0 };
  const skipped = [];
  const failed = [];
  const stderr = new Map();
  const notes = [];
  let durationMs = 0;
  for (const run of runs) {
    if (run.notRun) {
      lines.push(`${run.suite}: not run (${run.notRun})`);
      continue;
    }
    const counts = { passed: 0, failed: 0, cancelled: 0, skipped: 0, todo: 0 };
    for (const r of run.records) {
      if (r.status === 'note') {
        notes.push(r);
        continue;
      }
      if (r.status === 'output') {
        if (r.stream === 'stderr') stderr.set(r.file, (stderr.get(r.file) ?? '') + r.text);
        continue;
      }
      if (r.status in counts) counts[r.status]++;
      if (r.status === 'skipped') skipped.push(r);
      if (r.status === 'failed' || r.status === 'suite-error') failed.push(r);
    }
    for (const key of Object.keys(totals)) totals[key] += counts[key];
    durationMs += run.durationMs;
    const tests = counts.passed + counts.failed + counts.cancelled + counts.skipped + counts.todo;
    const extra = ['failed', 'cancelled', 'skipped', 'todo'].filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
    lines.push(`${run.suite}: ${tests} tests in ${run.files} files, ${counts.passed} passed${extra.length ? ', ' + extra.join(', ') : ''} (${seconds(run.durationMs)})`);
    if (tests === 0) {
      lines.push(`${run.suite}: no test reported a result`);
      totals.failed++;
    }
    if (run.exitCode !== 0 && counts.failed + counts.cancelled === 0 && !run.records.some((r) => r.status === 'suite-error')) {
      lines.push(`${run.suite}: node --test exited with ${run.exitCode} without a failed test`);
      totals.failed++;
    }
  }
  if (notes.length > 0) {
    lines.push('', 'figures the tests reported:');
    for (const r of notes) lines.push(`  ${r.text}`);
  }
  if (skipped.length > 0) {
    lines.push('', `skipped (${skipped.length}):`);
    for (const r of skipped) lines.push(`  ${r.file}: ${r.name}${r.reason ? ` (${r.reason})` : ''}`);
    if (options.skipsFail) lines.push('  a skipped test fails the run: every test must run (CI runs them all)');
  }
  if (failed.length > 0) {
    lines.push('', `failed (${failed.length}):`);
    for (const r of failed) {
      lines.push(`  ✗ ${r.file}: ${r.name}${r.status === 'suite-error' ? ' (a hook of the suite)' : ''}`);
      // node's own frames (node:internal/test_runner, async_hooks) say nothing about the failure.
      const error = r.error.split('\n').filter((line) => !/^\s+at .*\(node:/.test(line) && !/^\s+at async Promise\.all/.test(line));
      if (r.error) lines.push(indent(error.slice(0, STACK_LINES).join('\n'), '      '));
    }
    for (const file of new Set(failed.map((r) => r.file))) {
      const text = stderr.get(file);
      if (!text) continue;
      lines.push(`  what ${file} printed on stderr (last ${STDERR_LINES} lines):`);
      lines.push(indent(text.replace(/\n+$/, '').split('\n').slice(-STDERR_LINES).join('\n'), '      '));
    }
  }
  const failedCount = totals.failed + totals.cancelled;
  lines.push('');
  lines.push(`${totals.passed + failedCount + totals.skipped + totals.todo} tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.cancelled} cancelled, ${totals.skipped} skipped, ${totals.todo} todo (${seconds(durationMs)})`);
  lines.push(`${totals.passed} passed, ${failedCount} failed`);
  return { text: lines.join('\n') + '\n', totals: { ...totals, failed: failedCount }, skipped };
}
