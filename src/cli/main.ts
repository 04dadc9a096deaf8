/** `onboard` command dispatcher. Each subcommand returns its process exit code. */
import { runWscDemo } from '../demo/wsc-demo.js';

const USAGE = `usage: onboard <command> [options]

commands:
  demo [--json]     run the Multi-AP onboarding demo in-process (no root, no configuration)
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
      return Promise.resolve(runWscDemo({ json: rest.includes('--json'), write }));
    }
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
