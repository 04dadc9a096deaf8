/**
 * kill -9 of a daemon during SAVE_CONFIG, many times at random instants: the file is always a
 * complete configuration that parses, holds every network the daemon had reported saved, and
 * keeps the user's comment.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseWpaSupplicantConf } from '../../src/config/index.js';

const CHILD = fileURLToPath(new URL('../support/save-config-child.js', import.meta.url));
const KILLS = 30;

function runAndKill(confPath: string, afterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, confPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    let saved = 0;
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/saved (\d+)/g)) saved = Number(m[1]);
      // Once it is saving (start-up time varies with load), kill at an instant inside the write cycle.
      if (saved > 0 && !armed) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), afterMs);
      }
    });
    child.once('error', reject);
    child.once('exit', () => resolve(saved));
  });
}

describe('kill -9 during SAVE_CONFIG', () => {
  it(`${KILLS} kills at random instants never leave a partial or older-than-reported file`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-kill-'));
    const confPath = join(dir, 'wpa_supplicant.conf');
    try {
      writeFileSync(confPath, '# keep this comment\nctrl_interface=/run/onboard\nupdate_config=1\n');
      let total = 0;
      for (let i = 0; i < KILLS; i++) {
        const saved = await runAndKill(confPath, Math.floor(Math.random() * 60));
        const text = readFileSync(confPath);
        const parsed = parseWpaSupplicantConf(text, { file: confPath });
        assert.deepEqual(parsed.errors, [], `kill ${i}: the file parses`);
        assert.match(text.toString(), /^# keep this comment\n/, `kill ${i}: the comment is kept`);
        const networks = parsed.config.networkBlocks.length;
        // Each run starts from the previous file: everything reported saved must be there.
        assert.ok(networks >= total + saved, `kill ${i}: ${networks} networks in the file, ${total + saved} reported saved`);
        assert.ok(networks <= total + saved + 1, `kill ${i}: at most the write in flight is extra`);
        total = networks;
      }
      t.diagnostic(`kill -9 during SAVE_CONFIG: ${KILLS} kills, ${total} networks saved, file intact every time`);
      assert.ok(total > 0, 'the child saved something');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
