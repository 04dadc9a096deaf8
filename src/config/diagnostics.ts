/**
 * What configuration parsing reports. Every problem names the file and the 1-based line it comes
 * from, in the `FILE:LINE: what is wrong` form that compilers and the reference daemons use, so
 * editors can jump to it. Messages never repeat secret values (passphrases, PSKs, PINs).
 */
import { OnboardError } from '../util/errors.js';

export type ConfigErrorCode =
  /** An option name the reference does not know (it refuses to start on these too). */
  | 'config-unknown-option'
  /** A known option with a value the reference would reject. */
  | 'config-invalid-value'
  /** A line that is not `name=value`, a bad quotation, an unterminated block. */
  | 'config-syntax'
  /** Options that are fine alone but not together (e.g. WPA-PSK without any key). */
  | 'config-inconsistent';

export class ConfigError extends OnboardError {
  constructor(
    override readonly code: ConfigErrorCode,
    readonly file: string,
    /** 1-based line number; 0 when the problem concerns the whole file. */
    readonly line: number,
    /** What is wrong, without the location prefix. */
    readonly problem: string,
    /** The option the problem is about, when there is one. */
    readonly option?: string,
  ) {
    super(code, `${file}:${line}: ${problem}`);
  }
}

export type ConfigWarningCode =
  /** The reference knows the option; onboard parses it but does not act on it. */
  | 'config-not-implemented'
  /** Accepted by the reference, but probably not what was meant. */
  | 'config-suspicious'
  /** The reference would silently change or ignore something here. */
  | 'config-overridden';

export class ConfigWarning {
  readonly message: string;
  constructor(
    readonly code: ConfigWarningCode,
    readonly file: string,
    readonly line: number,
    readonly problem: string,
    readonly option?: string,
  ) {
    this.message = `${file}:${line}: ${problem}`;
  }

  toString(): string {
    return this.message;
  }
}

/** Thrown by the `…OrThrow` helpers: all errors of one file at once. */
export class ConfigFileError extends OnboardError {
  constructor(
    readonly file: string,
    readonly errors: readonly ConfigError[],
  ) {
    super('config-file-invalid', `${file}: ${errors.length} configuration error${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => e.message).join('\n')}`);
  }
}

/** Collects diagnostics for one file. */
export class Diagnostics {
  readonly errors: ConfigError[] = [];
  readonly warnings: ConfigWarning[] = [];

  constructor(readonly file: string) {}

  error(code: ConfigErrorCode, line: number, problem: string, option?: string): void {
    this.errors.push(new ConfigError(code, this.file, line, problem, option));
  }

  warn(code: ConfigWarningCode, line: number, problem: string, option?: string): void {
    this.warnings.push(new ConfigWarning(code, this.file, line, problem, option));
  }

  /** Errors in file order (whole-file problems, line 0, last); stable for one line. */
  sortedErrors(): ConfigError[] {
    return [...this.errors].sort(byLine);
  }

  sortedWarnings(): ConfigWarning[] {
    return [...this.warnings].sort(byLine);
  }
}

function byLine(a: { line: number }, b: { line: number }): number {
  return (a.line || Number.MAX_SAFE_INTEGER) - (b.line || Number.MAX_SAFE_INTEGER);
}

/** Diagnostics show control bytes escaped so a message is always one readable line. */
export function printable(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c;
  }
  return out;
}
