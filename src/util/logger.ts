/**
 * Debug log with wpa_supplicant/hostapd's verbosity levels (`-d` debug, `-dd` message dumps) and
 * their key-material rule: values marked as keys print as `[REMOVED]` unless `-K` was given.
 * Sans-I/O: lines go to an injected sink, the clock is injected.
 */
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
  /** `-t`-style timestamp prefix (seconds with microseconds) when a clock is given. */
  clock?: () => number;
}

export class Logger {
  constructor(private readonly options: LoggerOptions) {}

  get level(): LogLevel {
    return this.options.level;
  }

  get showKeys(): boolean {
    return this.options.showKeys;
  }

  enabled(level: LogLevel): boolean {
    return level >= this.options.level;
  }

  log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    const { clock } = this.options;
    this.options.sink(clock ? `${(clock() / 1000).toFixed(6)}: ${message}` : message);
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
