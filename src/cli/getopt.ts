/**
 * POSIX getopt as wpa_supplicant, hostapd, wpa_cli and hostapd_cli parse their command lines:
 * clustered flags (`-dd`, `-dK`), option arguments attached or separate (`-ieth0`, `-i eth0`),
 * `--` ends the options, the first non-option ends them too (the rest are operands). Beyond the
 * references, the GNU long flags a user tries first (`--help`, `--version`) are accepted when the
 * caller names them; they count under their long name.
 */
export class UsageError extends Error {}

export interface GetoptResult {
  /** Flag letter → number of times given (`-dd` → 2). */
  flags: Map<string, number>;
  /** Option letter → its argument (the last one wins, as in the references). */
  values: Map<string, string>;
  operands: string[];
}

/** `spec` lists the letters; a letter followed by `:` takes an argument (`"c:D:i:dK"`). */
export function getopt(argv: string[], spec: string, longFlags: readonly string[] = []): GetoptResult {
  const takesArgument = new Map<string, boolean>();
  for (let i = 0; i < spec.length; i++) {
    const letter = spec[i]!;
    if (letter === ':') continue;
    takesArgument.set(letter, spec[i + 1] === ':');
  }
  const flags = new Map<string, number>();
  const values = new Map<string, string>();
  let index = 0;
  for (; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      index++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg.startsWith('--')) {
      const name = arg.slice(2);
      if (!longFlags.includes(name)) throw new UsageError(`unknown option ${arg}`);
      flags.set(name, (flags.get(name) ?? 0) + 1);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j]!;
      const needs = takesArgument.get(letter);
      if (needs === undefined) throw new UsageError(`unknown option -${letter}`);
      if (!needs) {
        flags.set(letter, (flags.get(letter) ?? 0) + 1);
        continue;
      }
      const attached = arg.slice(j + 1);
      if (attached !== '') values.set(letter, attached);
      else {
        const next = argv[++index];
        if (next === undefined) throw new UsageError(`option -${letter} needs an argument`);
        values.set(letter, next);
      }
      break;
    }
  }
  return { flags, values, operands: argv.slice(index) };
}
