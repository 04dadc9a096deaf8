/**
 * Debug log with wpa_supplicant/hostapd's verbosity levels (`-d` debug, `-dd` message dumps) and
 * their key-material rule: values marked as keys print as `[REMOVED]` unless `-K` was given.
 * Sans-I/O: lines go to an injected sink, the clock is injected.
 */
import { Buffer } from 'node:buffer';
export enum LogLevel {
  MsgDump = 0,
  Debug = 1,
  Info = 2,
  Warning = 3,
  Error = 4,
}

export interface LoggerOptions {
  level: LogLevel;
  /** `-K`: include key material (PINs, passphrases, PSKs, network keys, session keys). */
  showKeys: boolean;
  sink: (line: string) => void;
  /** Clock for the `-t`-style timestamp prefix (seconds with microseconds). */
  clock?: () => number;
  /** Prefix lines with the clock's time (default: whenever a clock is given). */
  timestamps?: boolean;
}

/** wpa_supplicant's level names (debug_level_str); EXCESSIVE is below MSGDUMP there and maps onto it here. */
const LEVEL_NAMES: readonly [string, LogLevel][] = [
  ['EXCESSIVE', LogLevel.MsgDump],
  ['MSGDUMP', LogLevel.MsgDump],
  ['DEBUG', LogLevel.Debug],
  ['INFO', LogLevel.Info],
  ['WARNING', LogLevel.Warning],
  ['ERROR', LogLevel.Error],
];

/** `LOG_LEVEL <level>` argument: a name (any case) or the reference's number (0 EXCESSIVE .. 5 ERROR). */
export function parseLogLevelName(text: string): { name: string; level: LogLevel } | null {
  const byNumber = /^\d+$/.test(text) ? LEVEL_NAMES[Number(text)] : undefined;
  const entry = byNumber ?? LEVEL_NAMES.find(([name]) => name === text.toUpperCase());
  return entry ? { name: entry[0], level: entry[1] } : null;
}

export class Logger {
  private levelValue: LogLevel;
  private levelNameValue: string;
  private timestampsValue: boolean;

  constructor(private readonly options: LoggerOptions) {
    this.levelValue = options.level;
    this.levelNameValue = LEVEL_NAMES.find(([name, level]) => level === options.level && name !== 'EXCESSIVE')?.[0] ?? 'ERROR';
    this.timestampsValue = options.timestamps ?? options.clock !== undefined;
  }

  get level(): LogLevel {
    return this.levelValue;
  }

  /** The level as LOG_LEVEL reports it. */
  get levelName(): string {
    return this.levelNameValue;
  }

  get timestamps(): boolean {
    return this.timestampsValue;
  }

  /** LOG_LEVEL at run time; timestamps only where a clock was given. */
  setLevel(name: string, level: LogLevel, timestamps?: boolean): void {
    this.levelNameValue = name;
    this.levelValue = level;
    if (timestamps !== undefined) this.timestampsValue = timestamps && this.options.clock !== undefined;
  }

  get showKeys(): boolean {
    return this.options.showKeys;
  }

  enabled(level: LogLevel): boolean {
    return level >= this.levelValue;
  }

  log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    const { clock } = this.options;
    this.options.sink(clock && this.timestampsValue ? `${(clock() / 1000).toFixed(6)}: ${message}` : message);
  }

  debug(message: string): void {
    this.log(LogLevel.Debug, message);
  }

  info(message: string): void {
    this.log(LogLevel.Info, message);
  }

  warning(message: string): void {
    this.log(LogLevel.Warning, message);
  }

  error(message: string): void {
    this.log(LogLevel.Error, message);
  }

  /** A message dump (`-dd`): frames as hex. */
  hexdump(level: LogLevel, label: string, data: Uint8Array): void {
    if (!this.enabled(level)) return;
    this.log(level, `${label} - hexdump(len=${data.length}):${hexBytes(data)}`);
  }

  /** Key material: shown only with `-K`, otherwise the reference's `[REMOVED]`. */
  key(label: string, data: Uint8Array | string): void {
    if (!this.enabled(LogLevel.Debug)) return;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.log(LogLevel.Debug, `${label} - hexdump(len=${bytes.length}):${this.options.showKeys ? hexBytes(bytes) : ' [REMOVED]'}`);
  }

  /** Text that may contain a secret (a command line with a PIN, a config value). */
  secretText(level: LogLevel, prefix: string, secret: string): void {
    this.log(level, `${prefix}${this.options.showKeys ? secret : '[REMOVED]'}`);
  }
}

function hexBytes(data: Uint8Array): string {
  let out = '';
  for (const byte of data) out += ' ' + byte.toString(16).padStart(2, '0');
  return out;
}

/** `-d` → Debug, `-dd` → MsgDump (each `d` lowers the level by one, as the references count them). */
export function levelFromDebugFlags(count: number): LogLevel {
  if (count <= 0) return LogLevel.Info;
  return count === 1 ? LogLevel.Debug : LogLevel.MsgDump;
}

/** A logger that drops everything (library use without a log). */
export const silentLogger = new Logger({ level: LogLevel.Error + 1, showKeys: false, sink: () => {} });
