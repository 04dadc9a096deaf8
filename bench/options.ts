/** The command-line options the benchmarks share: `--json`, and a numeric option checked against its range. */
const args = process.argv.slice(2);

export const json = args.includes('--json');

/** `--name N`, or `fallback` when absent; outside min..max (or not a number) exits 2 with the reason. */
export function numberOption(bench: string, name: string, fallback: number, min: number, max: number, integer = true): number {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (Number.isNaN(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    console.error(`${bench}: --${name} takes a number from ${min} to ${max}`);
    process.exit(2);
  }
  return value;
}

/** `--name VALUE`, or undefined when absent. */
export function stringOption(name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}
