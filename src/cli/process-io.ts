/**
 * Process plumbing every long-running subcommand shares: where output goes, and signals
 * (SIGTERM/SIGINT shut down cleanly, SIGHUP re-reads the configuration).
 */
import type { GetoptResult } from './getopt.js';
import { getopt } from './getopt.js';
import { packageVersion } from './version.js';

export interface ProcessIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: ProcessIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * A subcommand's command line: the parsed options, or the exit code when there is nothing to run
 * (usage error: 2 with the usage on stderr; `-h`/`--help`: 0 with the usage on stdout;
 * `-v`/`--version`: 0 with the version on stdout, as hostapd -v and wpa_supplicant -v).
 */
export function commandLine(name: string, argv: string[], spec: string, usage: string, io: ProcessIo): GetoptResult | number {
  let options: GetoptResult;
  try {
    options = getopt(argv, spec + 'hv', ['help', 'version']);
  } catch (error) {
    io.stderr(`onboard ${name}: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (options.flags.has('h') || options.flags.has('help')) {
    io.stdout(usage);
    return 0;
  }
  if (options.flags.has('v') || options.flags.has('version')) {
    io.stdout(`onboard v${packageVersion()}\n`);
    return 0;
  }
  return options;
}

export interface SignalHooks {
  shutdown: (signal: string) => Promise<void> | void;
  reload: () => Promise<void> | void;
}

/** Installs the handlers; returns a function that removes them. */
export function handleSignals(hooks: SignalHooks): () => void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void Promise.resolve(hooks.shutdown(signal));
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  const onHup = () => void Promise.resolve(hooks.reload());
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  process.on('SIGHUP', onHup);
  return () => {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    process.off('SIGHUP', onHup);
  };
}

/** Resolves when the daemon is told to stop (TERMINATE or a signal). */
export function stopSignal(): { promise: Promise<string>; resolve: (reason: string) => void } {
  let resolve!: (reason: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
}
