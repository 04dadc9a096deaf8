/** `onboard` command dispatcher. Each subcommand returns its process exit code. */
// Subcommands load on demand: `onboard demo` never touches the native part the daemons need.

import { banner, packageVersion } from './version.js';

const usage = () => `${banner('Wi-Fi Simple Configuration with Multi-AP backhaul onboarding')}

usage: onboard <command> [options]      (onboard <command> -h for the options of each)

commands:
  demo [--wired] [--pcap FILE] [--json]
          the Multi-AP onboarding story in one process, no root, no configuration: on the
          simulated 802.11 medium, or with --wired over wired 802.1X; the capture goes to FILE,
          by default to a new private directory under $TMPDIR
  ap [-dKt] [-c] CONFIG
          the AP/Registrar daemon, like hostapd (driver=wired or driver=sim in CONFIG)
  sta [-dKtu] -i IFNAME -c CONFIG [-D wired|sim] [-p DRIVER_PARAMS] [-g GLOBAL_CTRL]
          the Enrollee/STA daemon, like wpa_supplicant (-D sim -p medium=PATH: a radio on the medium;
          -u: wpa_supplicant's D-Bus API, fi.w1.wpa_supplicant1 on the system bus)
  controller [-dKt] -c CONFIG
          the Multi-AP Controller: EasyMesh AP-Autoconfiguration over IEEE 1905.1, the BSS list in
          the Wi-Fi Alliance test harness bss_info form
  agent [-dKt] -c CONFIG
          the Multi-AP Agent: finds the Controller, brings up the BSSs it is given on the local
          hostapd / onboard ap through their control interfaces
  medium --socket PATH [--pcap FILE] [--loss P] [--duplicate P] [--reorder P] [--delay MS] [--seed N]
          the simulated 802.11 medium the sim radios of other processes share
  cli [-p DIR] [-i IFNAME] [COMMAND [ARG...]]
          control interface client, like wpa_cli / hostapd_cli
  help [COMMAND]
          this text, or the options of COMMAND

options:
  -h, --help       show this text
  -v, --version    show version

Installed in a project, run it as \`npx onboard ...\`.
`;

export const DEMO_USAGE = () => `${banner('the Multi-AP onboarding demo')}

usage: onboard demo [--wired] [--pcap FILE] [--json]

A gateway (fronthaul BSS "home" with WPS and multi_ap=2, backhaul BSS "home-backhaul" with
multi_ap=1), an extender's backhaul STA running WPS_PBC multi_ap=1 and a phone running WPS_PBC,
in one process and in virtual time. Exits 0 only when every check held.

options:
   -h, --help     show this usage
   -v, --version  show version
   --wired        the two registrations over wired 802.1X (EAPOL on an in-process Ethernet
                  segment) instead of the simulated 802.11 medium
   --pcap FILE    write the capture to FILE (radiotap + 802.11; Ethernet with --wired); it is
                  created or truncated, never written through a symbolic link. Default: a new
                  private directory under $TMPDIR (the path is printed)
   --json         print one JSON object instead of the story
example:
  onboard demo --pcap air.pcap
`;

const SUBCOMMANDS = ['demo', 'ap', 'sta', 'controller', 'agent', 'medium', 'cli'] as const;

async function runDemo(rest: string[]): Promise<number> {
  let pcap: string | undefined;
  let wired = false;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(DEMO_USAGE());
      return 0;
    }
    if (arg === '-v' || arg === '--version') {
      process.stdout.write(`onboard v${packageVersion()}\n`);
      return 0;
    }
    if (arg === '--json') json = true;
    else if (arg === '--wired') wired = true;
    else if (arg === '--pcap' && rest[i + 1] !== undefined) pcap = rest[++i];
    else {
      process.stderr.write(`onboard demo: ${arg === '--pcap' ? '--pcap needs a file name' : `unknown option ${arg}`}\n${DEMO_USAGE()}`);
      return 2;
    }
  }
  const { CaptureFileError, openCaptureFile } = await import('../demo/capture-file.js');
  const write = (line: string) => process.stdout.write(line + '\n');
  try {
    // Like an over-the-air capture, the demo always leaves one behind; --pcap chooses where.
    const capture = openCaptureFile(pcap);
    if (wired) return (await import('../demo/wsc-demo.js')).runWscDemo({ json, write, capture });
    return await (await import('../demo/medium-demo.js')).runMediumDemo({ json, write, capture });
  } catch (error) {
    if (!(error instanceof CaptureFileError)) throw error;
    process.stderr.write(`onboard demo: ${error.message}\n`);
    return 1;
  }
}

async function runSubcommand(command: string, rest: string[]): Promise<number> {
  switch (command) {
    case 'demo':
      return runDemo(rest);
    case 'sta':
      return (await import('./sta.js')).runSta(rest);
    case 'ap':
      return (await import('./ap.js')).runAp(rest);
    case 'controller':
      return (await import('./controller.js')).runController(rest);
    case 'agent':
      return (await import('./agent.js')).runAgent(rest);
    case 'cli':
      return (await import('./ctrl-client.js')).runCli(rest);
    case 'medium':
      return (await import('./medium.js')).runMedium(rest);
    default:
      throw new Error(`no subcommand ${command}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  // `onboard demo | head` closes our stdout early: that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const [command, ...rest] = argv;
  if (command !== undefined && (SUBCOMMANDS as readonly string[]).includes(command)) return runSubcommand(command, rest);
  switch (command) {
    case 'help':
    case '--help':
    case '-h': {
      const topic = rest[0];
      if (topic !== undefined && (SUBCOMMANDS as readonly string[]).includes(topic)) return runSubcommand(topic, ['--help']);
      process.stdout.write(usage());
      return 0;
    }
    case 'version':
    case '--version':
    case '-v':
      process.stdout.write(`onboard v${packageVersion()}\n`);
      return 0;
    case undefined:
      process.stderr.write(usage());
      return 2;
    default:
      process.stderr.write(`onboard: ${command.startsWith('-') ? `unknown option ${command}` : `unknown command ${command}`}\n${usage()}`);
      return 2;
  }
}
