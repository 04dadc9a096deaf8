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
import { OnboardError } from '../util/errors.js';

export class CaptureFileError extends OnboardError {
  constructor(readonly path: string, cause: NodeJS.ErrnoException) {
    super('CAPTURE_FILE', `cannot write the capture to ${path}: ${reasonText(cause)}`, { cause });
  }
}

export const DEFAULT_CAPTURE_NAME = 'onboard-demo.pcap';

function reasonText(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'it is a symbolic link, which the demo does not write through';
    case 'EISDIR':
      return 'it is a directory';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error.code ?? error.message;
  }
}

function isErrno(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

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
  let path = requested ?? join(baseDir, DEFAULT_CAPTURE_NAME);
  let fd: number;
  try {
    if (requested !== undefined) {
      fd = openSync(requested, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
    } else {
      const dir = mkdtempSync(join(baseDir, 'onboard-demo-'));
      path = join(dir, DEFAULT_CAPTURE_NAME);
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    }
  } catch (error) {
    if (isErrno(error)) throw new CaptureFileError(path, error);
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
        if (isErrno(error)) throw new CaptureFileError(path, error);
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
