// node:test reporter for the default `npm test` view: one character per finished test
// (. passed, F failed, C cancelled, S skipped, T todo), wrapped with a running count. The details
// and the one summary come from scripts/run-tests.mjs; `--verbose` shows node's own TAP instead.
import { testRecords } from './test-events.mjs';

const WIDTH = 80;
const MARK = { passed: '.', failed: 'F', cancelled: 'C', skipped: 'S', todo: 'T' };

export default async function* progress(source) {
  const records = testRecords();
  let column = 0;
  let count = 0;
  for await (const event of source) {
    const record = records(event);
    if (!record || !(record.status in MARK)) continue;
    count++;
    column++;
    const end = column === WIDTH ? ` ${count}\n` : '';
    if (end) column = 0;
    yield MARK[record.status] + end;
  }
  if (column > 0) yield ` ${count}\n`;
}
