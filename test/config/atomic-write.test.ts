import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from '../../src/config/index.js';
import type { AtomicWriteOptions, AtomicWriteStep } from '../../src/config/index.js';

const STEPS_BEFORE_RENAME: AtomicWriteStep[] = ['create', 'write', 'chmod', 'fsync-file', 'close', 'rename'];

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'onboard-atomic-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fresh(name: string, content = 'old content\n', mode = 0o644): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

const modeOf = (path: string): number => statSync(path).mode & 0o777;
const leftovers = (name: string): string[] => readdirSync(dir).filter((f) => f.includes(`${name}.tmp`));

const variants = [
  { name: 'async', write: writeFileAtomic },
  // Exceptions of the sync variant become rejections, so both run through the same assertions.
  { name: 'sync', write: (p: string, d: string | Uint8Array, o?: AtomicWriteOptions) => new Promise<void>((resolve) => resolve(writeFileAtomicSync(p, d, o))) },
];

for (const { name: variant, write } of variants) {
  describe(`atomic write (${variant})`, () => {
    it('replaces the content and sets mode 0600 whatever the old mode and the umask', async () => {
      const path = fresh(`${variant}-basic.conf`);
      await write(path, Buffer.from('new content\n'));
      assert.equal(readFileSync(path, 'utf8'), 'new content\n');
      assert.equal(modeOf(path), 0o600);
      assert.deepEqual(leftovers(`${variant}-basic.conf`), []);
    });

    it('creates a missing file, and honours an explicit mode even under a strict umask', async () => {
      const path = join(dir, `${variant}-new.conf`);
      const previous = process.umask(0o077);
      try {
        await write(path, 'x', { mode: 0o640 });
      } finally {
        process.umask(previous);
      }
      assert.equal(readFileSync(path, 'utf8'), 'x');
      assert.equal(modeOf(path), 0o640);
    });

    for (const failing of STEPS_BEFORE_RENAME) {
      it(`a failure at "${failing}" leaves the old file intact and no temporary file`, async () => {
        const file = `${variant}-fail-${failing}.conf`;
        const path = fresh(file);
        const steps: AtomicWriteStep[] = [];
        await assert.rejects(
          write(path, 'new content\n', {
            beforeStep: (step) => {
              steps.push(step);
              if (step === failing) throw new Error(`injected failure at ${step}`);
            },
          }),
          new RegExp(`injected failure at ${failing}`),
        );
        assert.deepEqual(steps, STEPS_BEFORE_RENAME.slice(0, STEPS_BEFORE_RENAME.indexOf(failing) + 1));
        assert.equal(readFileSync(path, 'utf8'), 'old content\n');
        assert.equal(modeOf(path), 0o644);
        assert.deepEqual(leftovers(file), []);
      });
    }

    it('a crash just before the rename leaves the old file under the name and a complete 0600 temporary', async () => {
      const file = `${variant}-crash.conf`;
      const path = fresh(file);
      let seen: { target: string; tmp: string; tmpMode: number } | undefined;
      await assert.rejects(
        write(path, 'new content\n', {
          beforeStep: (step, tmp) => {
            if (step !== 'rename') return;
            seen = { target: readFileSync(path, 'utf8'), tmp: readFileSync(tmp, 'utf8'), tmpMode: modeOf(tmp) };
            throw new Error('power cut');
          },
        }),
        /power cut/,
      );
      assert.deepEqual(seen, { target: 'old content\n', tmp: 'new content\n', tmpMode: 0o600 });
    });

    it('a failure after the rename (directory fsync) leaves the new file in place', async () => {
      const path = fresh(`${variant}-dirsync.conf`);
      await assert.rejects(
        write(path, 'new content\n', {
          beforeStep: (step) => {
            if (step === 'fsync-dir') throw new Error('dir sync failed');
          },
        }),
        /dir sync failed/,
      );
      assert.equal(readFileSync(path, 'utf8'), 'new content\n');
    });

    it('fails without side effects when the directory does not exist', async () => {
      await assert.rejects(write(join(dir, 'missing', 'x.conf'), 'x'), { code: 'ENOENT' });
    });
  });
}
