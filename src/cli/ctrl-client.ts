/**
 * `onboard cli [-p DIR] [-i IFACE] [COMMAND [ARG...]]`: a control-interface client for machines
 * without wpa_cli/hostapd_cli, speaking the same protocol (src/common/wpa_ctrl.c wpa_ctrl_request;
 * wpa_cli.c _wpa_ctrl_command). One-shot: the
 * command's words joined by single spaces, the reply printed raw. Interactive: ATTACH, a prompt,
 * replies with a newline added when missing, events printed raw (`<3>WPS-SUCCESS `).
 */
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { ctrlRequest, UnixDgramSocket } from '../ctrl/unix-dgram.js';
import type { ProcessIo } from './process-io.js';
import { commandLine, processIo } from './process-io.js';
import { banner } from './version.js';
import { expectErrnoError } from '../util/errors.js';

export const CLI_USAGE = `${banner('control interface client, like wpa_cli and hostapd_cli')}

onboard cli [-p<path to ctrl sockets>] [-i<ifname>] [-hv] [command..]
  -h = help (show this usage text)
  -v = show version information
  default path: /var/run/wpa_supplicant
  default interface: first interface found in socket path
  without a command: interactive mode, with the daemon's events (quit or exit to leave)
commands: those of the daemon on the other end (onboard sta answers wpa_supplicant's, onboard ap
  hostapd's), typed as for wpa_cli: status, ping, wps_pbc [multi_ap=1], wps_pin any PIN,
  list_networks, save_config, ...
example:
  onboard cli -p /tmp/onboard-extender -i extender wps_pbc multi_ap=1
`;

const REPLY_TIMEOUT_MS = 10_000;

/** wpa_cli's lower-case command names map to the daemon's upper-case ones; arguments stay as typed. */
export function commandText(words: string[]): string {
  const [first = '', ...rest] = words;
  return [first.toUpperCase(), ...rest].join(' ');
}

function firstSocket(dir: string): string | undefined {
  try {
    return readdirSync(dir).sort().find((name) => statSync(join(dir, name)).isSocket());
  } catch (error) {
    expectErrnoError(error);
    return undefined;
  }
}

export async function runCli(argv: string[], io: ProcessIo = processIo): Promise<number> {
  const options = commandLine('cli', argv, 'p:i:', CLI_USAGE, io);
  if (typeof options === 'number') return options;
  const dir = options.values.get('p') ?? '/var/run/wpa_supplicant';
  const ifname = options.values.get('i') ?? firstSocket(dir);
  if (!ifname) {
    io.stderr(`onboard cli: no control socket in ${dir}; is the daemon running (ctrl_interface=${dir})?\n`);
    return 1;
  }
  const path = join(dir, ifname);
  if (options.operands.length > 0) {
    const command = commandText(options.operands);
    try {
      const reply = await ctrlRequest(path, command, { timeoutMs: REPLY_TIMEOUT_MS });
      if (reply === null) {
        io.stderr(`'${command}' command timed out.\n`);
        return 1;
      }
      io.stdout(reply);
      return reply.startsWith('FAIL') ? 1 : 0;
    } catch (error) {
      io.stderr(`Failed to connect to ${path}: ${(error as Error).message}\n`);
      return 1;
    }
  }
  return interactive(path, io);
}

let clientCounter = 0;

async function interactive(path: string, io: ProcessIo): Promise<number> {
  const own = join(tmpdir(), `onboard_cli_${process.pid}-${++clientCounter}`);
  try {
    unlinkSync(own);
  } catch (error) {
    // No leftover: fine.
    expectErrnoError(error);
  }
  const socket = UnixDgramSocket.bind(own);
  let pending: ((reply: string) => void) | null = null;
  socket.onMessage((data) => {
    const text = data.toString('utf8');
    if (text.startsWith('<')) {
      io.stdout(`${text}\n`);
      return;
    }
    const resolve = pending;
    pending = null;
    resolve?.(text);
  });
  const request = (command: string): Promise<string | null> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending = null;
        resolve(null);
      }, REPLY_TIMEOUT_MS);
      pending = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
      if (socket.sendTo(path, Buffer.from(command)) !== true) {
        clearTimeout(timer);
        pending = null;
        resolve(null);
      }
    });
  const cleanup = () => {
    socket.close();
    try {
      unlinkSync(own);
    } catch (error) {
      // Already removed.
      expectErrnoError(error);
    }
  };

  const attached = await request('ATTACH');
  if (attached !== 'OK\n') {
    cleanup();
    io.stderr(`Could not connect to ${path}${attached === null ? ' (no answer)' : ''}\n`);
    return 1;
  }
  io.stdout(`Interactive mode on ${path}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
  rl.prompt();
  for await (const line of rl) {
    const words = line.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) {
      rl.prompt();
      continue;
    }
    if (words[0] === 'quit' || words[0] === 'exit') break;
    const command = commandText(words);
    const reply = await request(command);
    if (reply === null) io.stdout(`'${command}' command timed out.\n`);
    else io.stdout(reply.endsWith('\n') ? reply : reply + '\n');
    rl.prompt();
  }
  rl.close();
  await request('DETACH');
  cleanup();
  return 0;
}
