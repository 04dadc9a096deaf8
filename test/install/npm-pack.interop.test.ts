/**
 * onboard as a user gets it: `npm pack`, then `npm install <tarball>` in an empty project, offline
 * from the machine's npm cache (which `npm ci` filled with the one runtime dependency, dbus-next,
 * and its tree). The install builds the native part (the package's install script,
 * gcc and Node's headers, no devDependency); then the installed package runs the control-socket
 * path (a STA on the medium, `onboard cli ping`) and the wired path (AF_PACKET on a veth pair, a
 * whole WPS run between the installed gateway and extender with the shipped examples/*.wired.conf).
 * Root: the veth pair and its network namespace.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeLeftovers, requireTools, until, withBench } from '../support/interop.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The packages `name` needs at run time, by package-lock.json (with its optional ones or not). */
function runtimeClosure(name: string, withOptional: boolean): string[] {
  type Entry = { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Entry> };
  const seen = new Set<string>();
  const visit = (pkg: string) => {
    if (seen.has(pkg)) return;
    seen.add(pkg);
    const entry = lock.packages[`node_modules/${pkg}`];
    if (!entry) return;
    for (const dep of Object.keys({ ...entry.dependencies, ...(withOptional ? entry.optionalDependencies : {}) })) visit(dep);
  };
  visit(name);
  return [...seen];
}

describe('the package installed from npm pack', () => {
  let dir: string;
  let project: string;
  let installed: string;
  let bin: string;
  let env: NodeJS.ProcessEnv;
  const onboard = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 15_000 });

  before(() => {
    requireTools('npm', 'gcc', 'tar', 'ip');
    removeLeftovers();
    dir = mkdtempSync(join(tmpdir(), 'onboard-pack-'));
    // Not the variables `npm test` gives its scripts. The tarballs come from the cache `npm ci`
    // filled, but not the registry's metadata: `npm ci` installs from the lockfile and never asks
    // for it, while installing the tarball must resolve its dependencies' ranges. Offline, that
    // failed on a fresh machine (ENOTCACHED for dbus-next), so npm may ask the registry for what
    // the cache lacks.
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'NODE_TEST_CONTEXT'));
    Object.assign(env, { npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' });
    // --ignore-scripts: dist/ is built already (prepare would run tsc again).
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, env, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = join(dir, pack.stdout.trim().split('\n').at(-1)!);
    const listing = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const file of ['package/package.json', 'package/bin/onboard.js', 'package/dist/src/index.js', 'package/dist/src/cli/main.js', 'package/native/onboard-sockets.c', 'package/scripts/build-addon.mjs', 'package/examples/gateway.wired.conf', 'package/examples/library.mjs']) {
      assert.ok(listing.includes(file), `${file} in the tarball`);
    }
    assert.ok(!listing.some((f) => /^package\/(build|test|dist\/test|src)\//.test(f)), 'no build output, tests or TypeScript sources');

    project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "name": "a-project", "version": "1.0.0", "private": true }\n');
    const install = spawnSync('npm', ['install', tarball], { cwd: project, env, encoding: 'utf8' });
    assert.equal(install.status, 0, install.stdout + install.stderr);
    installed = join(project, 'node_modules', 'onboard');
    bin = join(installed, 'bin', 'onboard.js');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the install built the native part and pulled in nothing but dbus-next and its dependencies', () => {
    assert.ok(existsSync(join(installed, 'build', 'native', 'onboard-sockets.node')), 'build/native/onboard-sockets.node');
    const topLevel = readdirSync(join(project, 'node_modules')).filter((n) => !n.startsWith('.'))
      .flatMap((n) => (n.startsWith('@') ? readdirSync(join(project, 'node_modules', n)).map((m) => `${n}/${m}`) : [n]));
    const required = runtimeClosure('dbus-next', false);
    for (const name of ['onboard', ...required]) assert.ok(topLevel.includes(name), `${name} installed`);
    // dbus-next's optional usocket (abstract sockets; a native build) may be there or not.
    const allowed = new Set(['onboard', ...runtimeClosure('dbus-next', true)]);
    assert.deepEqual(topLevel.filter((n) => !allowed.has(n)), []);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(onboard('version').stdout, `onboard v${version}\n`);
    const npx = spawnSync('npx', ['onboard', 'version'], { cwd: project, env, encoding: 'utf8' });
    assert.equal(npx.stdout, `onboard v${version}\n`, npx.stderr);
  });

  it('control socket: a STA on the medium answers onboard cli ping with PONG', async () => {
    const socket = join(dir, 'air.sock');
    const ctrl = join(dir, 'ctrl');
    writeFileSync(join(dir, 'sta.conf'), `ctrl_interface=${ctrl}\n`);
    await withBench(async (bench) => {
      const medium = bench.command('medium', process.execPath, [bin, 'medium', '--socket', socket]);
      await until(() => existsSync(socket) || medium.child.exitCode !== null, `the medium\n${medium.output()}`);
      const sta = bench.command('sta', process.execPath, [bin, 'sta', '-D', 'sim', '-p', `medium=${socket}`, '-i', 'wlan1', '-c', join(dir, 'sta.conf')]);
      await bench.waitSocket(ctrl, 'wlan1', sta);
      const ping = onboard('cli', '-p', ctrl, '-i', 'wlan1', 'ping');
      assert.equal(ping.stdout, 'PONG\n', ping.stderr + sta.output());
    });
  });

  it('wired: the installed gateway and extender, with examples/*.wired.conf, onboard the extender over a veth pair', () =>
    withBench(async (bench) => {
      const example = (name: string) => readFileSync(join(installed, 'examples', name), 'utf8');
      const hapd = join(bench.dir, 'ctrl-gateway');
      const wpas = join(bench.dir, 'ctrl-extender');
      const gatewayConf = bench.file('gateway.conf', example('gateway.wired.conf').replace(/^interface=.*$/m, `interface=${bench.peerIf}`).replace(/^ctrl_interface=.*$/m, `ctrl_interface=${hapd}`));
      const extenderConf = bench.file('extender.conf', example('extender.wired.conf').replace(/^ctrl_interface=.*$/m, `ctrl_interface=${wpas}`));
      const gateway = bench.command('gateway', 'ip', ['netns', 'exec', bench.ns, process.execPath, bin, 'ap', '-c', gatewayConf, '-d']);
      await bench.waitSocket(hapd, bench.peerIf, gateway);
      const extender = bench.command('extender', process.execPath, [bin, 'sta', '-i', bench.localIf, '-c', extenderConf, '-d']);
      await bench.waitSocket(wpas, bench.localIf, extender);
      assert.match(extender.output(), /own MAC [0-9a-f:]{17}, driver wired/);
      assert.equal(onboard('cli', '-p', hapd, '-i', bench.peerIf, 'wps_pbc').stdout, 'OK\n');
      assert.equal(onboard('cli', '-p', wpas, '-i', bench.localIf, 'wps_pbc', 'multi_ap=1').stdout, 'OK\n');
      await until(() => /WPS-SUCCESS/.test(extender.output()), `WPS-SUCCESS\n${extender.output()}\n${gateway.output()}`, 30_000);
      await until(() => readFileSync(extenderConf, 'utf8').includes('multi_ap_backhaul_sta=1'), 'the saved backhaul network');
      assert.match(readFileSync(extenderConf, 'utf8'), /\nnetwork=\{\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n[\s\S]*\tmulti_ap_backhaul_sta=1\n\}\n$/);
      assert.match(gateway.output(), /WPS-REG-SUCCESS/);
    }));
});
