// node:test reporter that writes one JSON line per finished test (see test-events.mjs) to its
// destination file; scripts/run-tests.mjs reads it to print the summary.
import { testRecords } from './test-events.mjs';

export default async function* results(source) {
  const records = testRecords();
  for await (const event of source) {
    const record = records(event);
    if (record) yield JSON.stringify(record) + '\n';
  }
}
