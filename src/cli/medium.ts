/**
 * `onboard medium --socket PATH [--pcap FILE] [--loss P] [--duplicate P] [--reorder P] [--delay MS]
 * [--seed N]`: the simulated 802.11 medium as a hub for radios in other processes. Runs until
 * SIGTERM/SIGINT, then closes the capture and removes the socket.
 */
import { CaptureFileError, FileCapture } from '../sim/capture.js';
import type { FaultConfig } from '../sim/medium.js';
import { MediumServer } from '../sim/medium-server.js';
import type { HwsimAttachment } from '../drivers/genl.js';
import { attachHwsim } from '../drivers/genl.js';
import { OnboardError } from '../util/errors.js';
import type { ProcessIo } from './process-io.js';
import { handleSignals, processIo, stopSignal } from './process-io.js';
import { banner, packageVersion } from './version.js';

export const MEDIUM_USAGE = `${banner('the simulated 802.11 medium')}

usage: onboard medium --socket PATH [--hwsim] [--pcap FILE] [--loss P] [--duplicate P]
                      [--reorder P] [--delay MS] [--seed N]

options:
   -h, --help       show this usage
   -v, --version    show version
   --socket PATH    Unix stream socket the radios (onboard ap/sta with the sim driver) connect to
   --hwsim          also carry the frames of every mac80211_hwsim radio of this machine (registers
                    with the kernel as their medium, as wmediumd does; needs root and the module)
   --pcap FILE      write every frame to FILE (pcap, radiotap + 802.11)
   --loss P, --duplicate P, --reorder P
                    fault probabilities per delivery (0..1)
   --delay MS       delivery delay (default 1)
   --seed N         fault PRNG seed (a failing run replays with the same seed)
example:
  onboard medium --socket /tmp/onboard-air.sock --pcap air.pcap
`;

const MEDIUM_OPTIONS = ['--socket', '--pcap', '--loss', '--duplicate', '--reorder', '--delay', '--seed'];

interface MediumArgs {
  socket: string;
  pcap?: string;
  faults: Partial<FaultConfig>;
  seed?: number;
  hwsim: boolean;
}

export function parseMediumArgs(argv: string[]): MediumArgs | string {
  const out: MediumArgs = { socket: '', faults: {}, hwsim: false };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!;
    const value = argv[i + 1];
    if (!name.startsWith('--')) return `unexpected argument ${name}`;
    if (name === '--hwsim') {
      out.hwsim = true;
      continue;
    }
    if (!MEDIUM_OPTIONS.includes(name)) return `unknown option ${name}`;
    if (value === undefined) return `${name} needs a value`;
    i++;
    const probability = () => {
      const p = Number(value);
      return Number.isFinite(p) && p >= 0 && p <= 1 ? p : null;
    };
    switch (name) {
      case '--socket':
        out.socket = value;
        break;
      case '--pcap':
        out.pcap = value;
        break;
      case '--loss':
      case '--duplicate':
      case '--reorder': {
        const p = probability();
        if (p === null) return `${name}: ${value} is not a probability between 0 and 1`;
        out.faults[name.slice(2) as 'loss' | 'duplicate' | 'reorder'] = p;
        break;
      }
      case '--delay': {
        const ms = Number(value);
        if (!Number.isFinite(ms) || ms < 0) return `--delay: ${value} is not a number of milliseconds`;
        out.faults.delayMs = ms;
        break;
      }
      case '--seed': {
        if (!/^\d+$/.test(value)) return `--seed: ${value} is not a non-negative integer`;
        out.seed = Number(value);
        break;
      }
      default:
        return `unknown option ${name}`;
    }
  }
  if (!out.socket) return '--socket is required';
  return out;
}

export async function runMedium(argv: string[], io: ProcessIo = processIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout(MEDIUM_USAGE);
    return 0;
  }
  if (argv.includes('-v') || argv.includes('--version')) {
    io.stdout(`onboard v${packageVersion()}\n`);
    return 0;
  }
  const args = parseMediumArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`onboard medium: ${args}\n${MEDIUM_USAGE}`);
    return 2;
  }
  let capture: FileCapture | undefined;
  if (args.pcap) {
    try {
      capture = await FileCapture.open(args.pcap);
    } catch (error) {
      if (!(error instanceof CaptureFileError)) throw error;
      io.stderr(`onboard medium: ${error.message}\n`);
      return 1;
    }
  }
  const server = new MediumServer({
    socketPath: args.socket,
    faults: args.faults,
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(capture ? { capture } : {}),
    log: (line) => io.stdout(line + '\n'),
  });
  try {
    await server.listen();
  } catch (error) {
    await capture?.close();
    io.stderr(`onboard medium: cannot listen on ${args.socket}: ${(error as Error).message}\n`);
    return 1;
  }
  let hwsim: HwsimAttachment | null = null;
  if (args.hwsim) {
    try {
      hwsim = await attachHwsim(server.medium, (line) => io.stdout(line + '\n'));
    } catch (error) {
      if (!(error instanceof OnboardError)) throw error;
      io.stderr(`onboard medium: --hwsim: ${error.message}\n`);
      await server.close();
      return 1;
    }
  }
  io.stdout(`medium: listening on ${args.socket}${args.pcap ? `, capturing to ${args.pcap}` : ''}\n`);
  const stop = stopSignal();
  const removeSignals = handleSignals({ shutdown: (signal) => stop.resolve(signal), reload: () => {} });
  const reason = await stop.promise;
  removeSignals();
  hwsim?.close();
  await server.close();
  const s = server.medium.stats;
  io.stdout(`medium: stopped (${reason}); ${s.transmitted} frames transmitted, ${s.delivered} delivered, ${s.lost} lost, ${s.acked} acknowledged\n`);
  if (hwsim) {
    const h = hwsim.bridge.stats;
    io.stdout(`medium: hwsim: ${h.fromKernel} frames from the radios, ${h.toKernel} injected, ${h.txStatus} TX status (${h.acked} ACK), ${h.offChannel} dropped off-channel by the receiving radio, ${h.kernelErrors} kernel errors, ${h.badMessages} undecodable, ${h.overruns} overruns\n`);
  }
  return 0;
}
