/** `onboard` command dispatcher. Each subcommand returns its process exit code. */
// Subcommands load on demand: `onboard demo` never touches the native part the daemons need.

const USAGE = `usage: onboard <command> [options]

commands:
  demo [--json]     run the Multi-AP onboarding demo in-process (no root, no configuration)
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
      const unknown = rest.filter((a) => a !== '--json');
      if (unknown.length > 0) {
        process.stderr.write(`onboard demo: unknown option ${unknown[0]}\n${USAGE}`);
        return 2;
      }
      const { runWscDemo } = await import('../demo/wsc-demo.js');
      return runWscDemo({ json: rest.includes('--json'), write });
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
