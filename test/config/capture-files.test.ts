/**
 * The embedded copies in capture-fixtures.ts are the capture sets' files (test/vectors/captures,
 * copies of the real hostapd/wpa_supplicant 2.10 runs), byte for byte.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VECTORS_DIR } from '../support/reference-captures.js';
import { CAPTURE_FILES } from './capture-fixtures.js';

describe('capture fixtures', () => {
  for (const capture of CAPTURE_FILES) {
    const dir = join(VECTORS_DIR, capture.dir);
    it(`match ${capture.dir}`, () => {
      assert.equal(readFileSync(join(dir, 'wpa_supplicant.conf.after'), 'latin1'), capture.wpasAfter);
      assert.equal(readFileSync(join(dir, 'hostapd.conf'), 'latin1'), capture.hostapdConf);
    });
  }
});
