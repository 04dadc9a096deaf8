/** The embedded copies in capture-fixtures.ts are the shared capture files, byte for byte. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPTURE_FILES } from './capture-fixtures.js';

const ROOT = '/work/shared/captures';

describe('capture fixtures', () => {
  for (const capture of CAPTURE_FILES) {
    const dir = join(ROOT, capture.dir);
    it(`match ${capture.dir}`, { skip: existsSync(dir) ? false : `${dir} not present` }, () => {
      assert.equal(readFileSync(join(dir, 'wpa_supplicant.conf.after'), 'latin1'), capture.wpasAfter);
      assert.equal(readFileSync(join(dir, 'hostapd.conf'), 'latin1'), capture.hostapdConf);
    });
  }
});
