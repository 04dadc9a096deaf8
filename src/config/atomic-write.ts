/**
 * Crash-safe replacement of a configuration file: the data goes to a new temporary file in the
 * same directory (same filesystem, so the rename is atomic), which is given its final mode,
 * fsync'ed and closed, then renamed over the target, and the directory is fsync'ed so the rename
 * itself is durable. A crash at any instant leaves either the old or the new file under the name,
 * never a mix. The reference does the same minus the fsyncs and mode (config_file.c
 * wpa_config_write: `<file>.tmp`, later `<file>.tmp-<random>`).
 *
 * This is the only file of src/config that touches the filesystem.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { expectErrnoError } from '../util/errors.js';

export type AtomicWriteStep = 'create' | 'write' | 'chmod' | 'fsync-file' | 'close' | 'rename' | 'fsync-dir';

export interface AtomicWriteOptions {
  /** Mode of the new file (default 0o600: configuration holds keys). Applied with chmod, so umask does not reduce it. */
  mode?: number;
  /**
   * Called before each step; throwing from it aborts the write at that step as a failure there
   * would (tests use it to simulate crashes and I/O errors).
   */
  beforeStep?: (step: AtomicWriteStep, tmpPath: string) => void;
}

/** Name of the temporary file: hidden, in the target's directory, unique per call. */
function tmpPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${randomBytes(TMP_SUFFIX_BYTES).toString('hex')}`);
}

const TMP_SUFFIX_BYTES = 8;

/**
 * Removes the temporary copies a write interrupted by a crash (kill -9, power loss) left next to
 * `path`: they hold the whole configuration, keys included, and would pile up. Only regular files
 * named exactly as tmpPathFor names them for this file are removed; returns their names.
 */
export function removeStaleTempFiles(path: string): string[] {
  const prefix = `.${basename(path)}.tmp-`;
  const ours = new RegExp(`^[0-9a-f]{${TMP_SUFFIX_BYTES * 2}}$`);
  const removed: string[] = [];
  for (const name of fs.readdirSync(dirname(path))) {
    if (!name.startsWith(prefix) || !ours.test(name.slice(prefix.length))) continue;
    const candidate = join(dirname(path), name);
    if (!fs.lstatSync(candidate).isFile()) continue;
    fs.rmSync(candidate, { force: true });
    removed.push(name);
  }
  return removed;
}

/** Some platforms refuse fsync on a directory; that only weakens durability, it is not a failure. */
function ignorableDirSyncError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EINVAL' || code === 'EISDIR' || code === 'ENOTSUP';
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  const tmp = tmpPathFor(path);
  const step = (s: AtomicWriteStep): void => options.beforeStep?.(s, tmp);
  let handle: fsp.FileHandle | undefined;
  let created = false;
  try {
    step('create');
    handle = await fsp.open(tmp, 'wx', mode);
    created = true;
    step('write');
    await handle.writeFile(data);
    step('chmod');
    await handle.chmod(mode);
    step('fsync-file');
    await handle.sync();
    step('close');
    await handle.close();
    handle = undefined;
    step('rename');
    await fsp.rename(tmp, path);
    created = false;
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    if (created) await fsp.unlink(tmp).catch(() => undefined);
    throw err;
  }
  step('fsync-dir');
  const dir = await fsp.open(dirname(path), 'r');
  try {
    await dir.sync();
  } catch (err) {
    if (!ignorableDirSyncError(err)) throw err;
  } finally {
    await dir.close();
  }
}

export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const mode = options.mode ?? 0o600;
  const tmp = tmpPathFor(path);
  const step = (s: AtomicWriteStep): void => options.beforeStep?.(s, tmp);
  let fd: number | undefined;
  let created = false;
  try {
    step('create');
    fd = fs.openSync(tmp, 'wx', mode);
    created = true;
    step('write');
    fs.writeFileSync(fd, data);
    step('chmod');
    fs.fchmodSync(fd, mode);
    step('fsync-file');
    fs.fsyncSync(fd);
    step('close');
    fs.closeSync(fd);
    fd = undefined;
    step('rename');
    fs.renameSync(tmp, path);
    created = false;
  } catch (err) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch (closeError) {
        // Already failing: the original error is the one to report.
        expectErrnoError(closeError);
      }
    }
    if (created) fs.rmSync(tmp, { force: true });
    throw err;
  }
  step('fsync-dir');
  const dirFd = fs.openSync(dirname(path), 'r');
  try {
    fs.fsyncSync(dirFd);
  } catch (err) {
    if (!ignorableDirSyncError(err)) throw err;
  } finally {
    fs.closeSync(dirFd);
  }
}
