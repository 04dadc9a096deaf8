/** `onboard` command dispatcher. Each subcommand returns its process exit code. */
// Subcommands load on demand: `onboard demo` never touches the native part the daemons need.

import { tmpdir } from 'node:os';
import { join } from 'node:path';

const USAGE = `usage: onboard <command> [options]

commands:
  demo [--pcap FILE] [--json]
                    the Multi-AP onboarding story on the simulated 802.11 medium (no root, no
                    configuration); the capture goes to FILE, by default
                    $TMPDIR/onboard-demo.pcap; --wired: the same registrations over wired 802.1X
  sta -i IFACE -c FILE [-D wired] [-d] [-K]
                    the Enrollee/STA daemon (like wpa_supplicant)
  ap -c FILE [-d] [-K]
                    the AP/Registrar daemon (like hostapd)
  medium --socket PATH [--pcap FILE]
                    the simulated 802.11 medium for radios in other processes
  cli [-p DIR] [-i IFACE] [COMMAND...]
                    control-interface client (like wpa_cli / hostapd_cli)
  help              show this text
`;

export async function main(argv: string[]): Promise<number> {
  // `onboard demo | head` closes our stdout early: that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const [command, ...rest] = argv;
  const write = (line: string) => process.stdout.write(line + '\n');
  switch (command) {
    case 'demo': {
      let pcap: string | undefined;
      let wired = false;
      let json = false;
      for (let i = 0; i < rest.length; i++) {
        const arg = rest[i]!;
        if (arg === '--json') json = true;
        else if (arg === '--wired') wired = true;
        else if (arg === '--pcap' && rest[i + 1] !== undefined) pcap = rest[++i];
        else {
          process.stderr.write(`onboard demo: ${arg === '--pcap' ? '--pcap needs a file name' : `unknown option ${arg}`}\n${USAGE}`);
          return 2;
        }
      }
      if (wired) {
        const { runWscDemo } = await import('../demo/wsc-demo.js');
        return runWscDemo({ json, write });
      }
      const { runMediumDemo } = await import('../demo/medium-demo.js');
      // Like an over-the-air capture, the demo always leaves one behind; --pcap chooses where.
      return runMediumDemo({ json, write, pcap: pcap ?? join(tmpdir(), 'onboard-demo.pcap') });
    }
    case 'sta':
      return (await import('./sta.js')).runSta(rest);
    case 'ap':
      return (await import('./ap.js')).runAp(rest);
    case 'cli':
      return (await import('./ctrl-client.js')).runCli(rest);
    case 'medium':
      return (await import('./medium.js')).runMedium(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`onboard: unknown command ${command}\n${USAGE}`);
      return 2;
  }
}
