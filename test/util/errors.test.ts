import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OnboardError, expectOperationalError, isErrnoError } from '../../src/util/errors.js';

test('expectOperationalError: a system refusal or one of our typed errors is returned, a bug goes on up', () => {
  const refused = Object.assign(new Error('connect ENOENT /tmp/air.sock'), { code: 'ENOENT' });
  assert.equal(expectOperationalError(refused), refused);
  const typed = new OnboardError('sim-connect', 'cannot reach the medium');
  assert.equal(expectOperationalError(typed), typed);
  const bug = new TypeError("Cannot read properties of undefined (reading 'mac')");
  assert.throws(() => expectOperationalError(bug), (thrown) => thrown === bug);
  assert.throws(() => expectOperationalError('a string'), (thrown) => thrown === 'a string');
  assert.equal(isErrnoError(bug), false);
});
