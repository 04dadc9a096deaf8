/**
 * Summarises V8 CPU profiles (node --cpu-prof, as `bench:wire --profile DIR` writes them) for the
 * critical path only: the samples taken while a received frame was being handled, i.e. with a
 * function named `--under NAME` on the stack (default `receive`, the EAP links' entry point for a
 * frame). Prints the time there per function (self time) and per kind: node:crypto, the native
 * socket part, garbage collection, and our own code by source directory.
 *
 * Samples with `--not-under NAME` on the stack (default `runSelfTest`, the daemons' start-up
 * registrations) are left out.
 *
 *   node dist/bench/profile-summary.js FILE.cpuprofile... [--under NAME] [--not-under NAME] [--top N]
 */
import { readFileSync } from 'node:fs';
import { numberOption, stringOption } from './options.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const under = stringOption('under') ?? 'receive';
const notUnder = stringOption('not-under') ?? 'runSelfTest';
const top = numberOption('profile-summary', 'top', 25, 1, 1000);
const files = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));

function kindOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (/node:internal\/crypto|node:crypto/.test(url) || /^(digest|update|final|computeSecret|generateKeys|setPrivateKey|randomFillSync|timingSafeEqual|Hmac|Hash|Cipheriv|Decipheriv|DiffieHellman)$/.test(functionName)) return 'node:crypto';
  if (url === '' && functionName !== '(program)' && functionName !== '(root)') return 'native (addon, V8 builtins)';
  const own = /\/dist\/(src\/[a-z0-9-]+)\//.exec(url);
  if (own) return own[1]!;
  if (url.startsWith('node:')) return 'node internals';
  return url === '' ? functionName : 'other';
}

const selfByFunction = new Map<string, number>();
const selfByKind = new Map<string, number>();
let totalUs = 0;
let handled = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const isUnder = new Map<number, boolean>();
  const onPath = (id: number): boolean => {
    const known = isUnder.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id)!;
    const up = parent.get(id);
    const result = node.callFrame.functionName === under || (up !== undefined && onPath(up));
    isUnder.set(id, result);
    return result;
  };
  const excluded = new Map<number, boolean>();
  const offPath = (id: number): boolean => {
    const known = excluded.get(id);
    if (known !== undefined) return known;
    const up = parent.get(id);
    const result = byId.get(id)!.callFrame.functionName === notUnder || (up !== undefined && offPath(up));
    excluded.set(id, result);
    return result;
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const durationUs = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(id)!;
    if (!onPath(id) || offPath(id)) continue;
    handled += durationUs;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/dist\//, '')}:${lineNumber + 1}`;
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + durationUs);
    const kind = kindOf(node);
    selfByKind.set(kind, (selfByKind.get(kind) ?? 0) + durationUs);
  }
  totalUs += profile.timeDeltas.reduce((a, b) => a + b, 0);
}

const pct = (us: number) => `${((us / handled) * 100).toFixed(1)}%`;
console.log(`${files.length} profile(s), ${(totalUs / 1000).toFixed(0)} ms sampled, ${(handled / 1000).toFixed(1)} ms under ${under}() and not under ${notUnder}()`);
console.log('\nby kind (self time under it):');
for (const [kind, us] of [...selfByKind].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(us).padStart(6)}  ${(us / 1000).toFixed(2).padStart(8)} ms  ${kind}`);
console.log(`\ntop ${top} functions (self time):`);
for (const [name, us] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us).padStart(6)}  ${(us / 1000).toFixed(2).padStart(8)} ms  ${name}`);
