/**
 * Where `onboard demo` leaves its capture. The default is a fresh private directory
 * (`mkdtemp`, mode 0700) under $TMPDIR, never a fixed name in a shared directory: a fixed name is
 * owned by whoever ran the demo first (EACCES for everyone else) and, in a sticky world-writable
 * directory, is a place to plant a symbolic link for the next user (root) to write through. A file
 * the user names with --pcap is created or truncated, but never through a symbolic link
 * (O_NOFOLLOW). The file is opened before the demo runs, so a bad path costs nothing.
 */
import { closeSync, constants, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPTURE_OPEN_FLAGS, CaptureFileError } from '../sim/capture.js';
import { isErrnoError } from '../util/errors.js';

export { CaptureFileError };

export const DEFAULT_CAPTURE_NAME = 'onboard-demo.pcap';

export interface CaptureFile {
  readonly path: string;
  /** Writes the whole capture and closes the file. */
  write(bytes: Buffer): void;
  /** Closes the file without writing (the demo stopped early). */
  close(): void;
}

/**
 * Opens the capture file: `requested` as named (created or truncated, not through a link), or a
 * new file in a fresh private directory under `baseDir` (default $TMPDIR). Throws
 * {@link CaptureFileError} with a one-line reason.
 */
export function openCaptureFile(requested: string | undefined, baseDir = tmpdir()): CaptureFile {
  // Until the file has a name, a failure names the directory it was to go in.
  let path = requested ?? baseDir;
  let fd: number;
  try {
    if (requested !== undefined) {
      fd = openSync(requested, CAPTURE_OPEN_FLAGS, 0o644);
    } else {
      const dir = mkdtempSync(join(baseDir, 'onboard-demo-'));
      path = join(dir, DEFAULT_CAPTURE_NAME);
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    }
  } catch (error) {
    if (isErrnoError(error)) throw new CaptureFileError(path, error);
    throw error;
  }
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    closeSync(fd);
  };
  return {
    path,
    write: (bytes) => {
      try {
        for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
      } catch (error) {
        if (isErrnoError(error)) throw new CaptureFileError(path, error);
        throw error;
      } finally {
        close();
      }
    },
    close,
  };
}

/** A path as a POSIX shell word, so the printed tshark command can be pasted as it is. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
