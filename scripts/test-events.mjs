// What the two test reporters share: node:test events (as `node --test` emits them for the
// process-isolated files) turned into one record per finished test, with its full name.
import { relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** How node:test marks the tests --test-name-pattern left out: not skipped, just not asked for. */
const FILTERED = 'test name does not match pattern';

/** Failure types node:test gives to tests that did not run because something else failed. */
const CANCELLED = new Set(['cancelledByParent', 'testTimeoutFailure']);

/**
 * Feeds events; returns a record for each finished test (not for suites, except a suite whose own
 * hook failed, which is reported as `status: 'suite-error'` so its error is seen), and for each
 * line a test file printed (`status: 'output'`) and each t.diagnostic() (`status: 'note'`).
 */
export function testRecords() {
  const stacks = new Map();
  return (event) => {
    const data = event.data ?? {};
    const file = data.file ? relative(root, data.file) : '';
    if (event.type === 'test:start') {
      const stack = stacks.get(file) ?? [];
      stack.length = data.nesting;
      stack.push(data.name);
      stacks.set(file, stack);
      return null;
    }
    // t.diagnostic() of a test (the figures some tests measure); node's own totals carry no file.
    if (event.type === 'test:diagnostic' && data.file) return { file, status: 'note', text: String(data.message ?? '') };
    if (event.type === 'test:stdout' || event.type === 'test:stderr') {
      return { file, status: 'output', stream: event.type.slice(5), text: String(data.message ?? '') };
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') return null;
    const path = [...(stacks.get(file) ?? []).slice(0, data.nesting), data.name];
    const details = data.details ?? {};
    const error = details.error;
    const failureType = error?.failureType;
    const record = { file, name: path.join(' › '), durationMs: details.duration_ms ?? 0 };
    if (details.type === 'suite') {
      if (event.type === 'test:fail' && failureType !== 'subtestsFailed' && !CANCELLED.has(failureType)) {
        return { ...record, status: 'suite-error', error: errorText(error) };
      }
      return null;
    }
    if (event.type === 'test:pass') {
      if (data.skip === FILTERED) return { ...record, status: 'filtered' };
      if (data.skip !== undefined && data.skip !== false) return { ...record, status: 'skipped', reason: data.skip === true ? '' : String(data.skip) };
      if (data.todo !== undefined && data.todo !== false) return { ...record, status: 'todo', reason: data.todo === true ? '' : String(data.todo) };
      return { ...record, status: 'passed' };
    }
    if (CANCELLED.has(failureType)) return { ...record, status: 'cancelled', error: errorText(error) };
    return { ...record, status: 'failed', error: errorText(error) };
  };
}

/** The error a failed test reports: its message and stack, the assertion's cause unwrapped. */
function errorText(error) {
  if (!error) return '';
  const cause = error.cause ?? error;
  const text = cause.stack ?? cause.message ?? String(cause);
  return String(text);
}
