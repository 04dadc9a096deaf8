#!/usr/bin/env node
// Builds native/onboard-sockets.c (AF_PACKET and AF_UNIX datagram sockets) into
// build/native/onboard-sockets.node with gcc against the headers that ship with Node. It is the
// package's `install` script: run by `npm ci` in a clone and by `npm install` of the package (a
// tarball from `npm pack` carries native/ and this script, not build/). It uses nothing but Node
// and gcc, no devDependency. Never fails the install: without gcc or headers it says what is
// missing and exits 0; everything except the wired driver and the control sockets works without it.
// The result is compiled to a temporary name, loaded once, then renamed into place: a running
// process keeps the file it loaded, and a failed build leaves no stale binary behind.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'onboard-sockets.c');
const output = join(root, 'build', 'native', 'onboard-sockets.node');
const temporary = join(dirname(output), `onboard-sockets.${process.pid}.tmp.node`);
const includeCandidates = [join(dirname(dirname(process.execPath)), 'include', 'node'), '/usr/include/node', '/usr/local/include/node'];
const include = includeCandidates.find((dir) => existsSync(join(dir, 'node_api.h')) && existsSync(join(dir, 'uv.h')));

function skip(why) {
  rmSync(temporary, { force: true });
  rmSync(output, { force: true });
  console.warn(`onboard: native sockets not built (${why}); the wired driver and control sockets will be unavailable. Install gcc and run \`npm run build:addon\`.`);
  process.exit(0);
}

if (process.platform !== 'linux') skip(`AF_PACKET needs Linux, this is ${process.platform}`);
if (!include) skip(`no node_api.h/uv.h in ${includeCandidates.join(', ')}`);
const cc = process.env.CC || 'gcc';
if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) skip(`no C compiler (${cc})`);
mkdirSync(dirname(output), { recursive: true });
const result = spawnSync(cc, ['-O2', '-shared', '-fPIC', '-Wall', '-Wextra', '-Werror', `-I${include}`, source, '-o', temporary], { stdio: 'inherit' });
if (result.status !== 0) skip(`${cc} failed on ${source}`);
try {
  const addon = createRequire(import.meta.url)(temporary);
  if (typeof addon.packetOpen !== 'function') throw new Error('packetOpen missing');
} catch (error) {
  skip(`the compiled module does not load: ${String(error.message).split('\n')[0]}`);
}
renameSync(temporary, output);
