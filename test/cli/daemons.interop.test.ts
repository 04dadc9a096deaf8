/**
 * `onboard ap` and `onboard sta` as processes on the two ends of a veth pair, driven by the real
 * wpa_cli and hostapd_cli (Debian packages), one-shot and interactive. Needs root (CI runs as root;
 * scripts/setup-system.sh installs the CLIs).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { credentialHex, wiredHostapdConf, wiredWpasConf } from '../support/interop.js';

const BIN = fileURLToPath(new URL('../../../bin/onboard.js', import.meta.url));
const TAG = `obd${process.pid % 100000}`;
const AP_IF = `${TAG}a`;
const STA_IF = `${TAG}s`;

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const cli = (tool: 'wpa_cli' | 'hostapd_cli', dir: string, ifname: string, ...command: string[]) =>
  execFileSync(tool, ['-p', dir, '-i', ifname, ...command], { encoding: 'utf8', timeout: 15_000 });

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Daemon {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function start(args: string[]): Daemon {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

/**
 * An interactive wpa_cli/hostapd_cli: its stdout collects the `<3>` events it prints (line-buffered
 * through stdbuf: hostapd_cli does not flush when its stdout is a pipe).
 */
function interactive(tool: 'wpa_cli' | 'hostapd_cli', dir: string, ifname: string) {
  const child = spawn('stdbuf', ['-oL', tool, '-p', dir, '-i', ifname], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return { child, out: () => out, close: () => child.kill('SIGKILL') };
}

const HOSTAPD_CONF = (dir: string) =>
  wiredHostapdConf(AP_IF, `${dir}/hapd`, 'multi_ap=3\nmulti_ap_backhaul_ssid="backhaul"\nmulti_ap_backhaul_wpa_passphrase=backhaulpass123\n');

// wps_cred_processing=2: the Credential attribute also goes out in WPS-CRED-RECEIVED, to compare byte for byte.
const WPAS_CONF = (dir: string) => `# the extender's supplicant\n${wiredWpasConf(`${dir}/wpas`, 'OnboardSTA')}wps_cred_processing=2\n`;

describe('onboard daemons driven by the real wpa_cli / hostapd_cli', () => {
  let dir: string;
  const running: Daemon[] = [];

  before(() => {
    for (const tool of ['wpa_cli', 'hostapd_cli']) {
      try {
        execFileSync('which', [tool], { stdio: 'pipe' });
      } catch {
        throw new Error(`${tool} is missing: run scripts/setup-system.sh (npm run test:interop does)`);
      }
    }
    dir = mkdtempSync(join(tmpdir(), 'onboard-daemons-'));
    ip('link', 'add', AP_IF, 'type', 'veth', 'peer', 'name', STA_IF);
    ip('link', 'set', AP_IF, 'up');
    ip('link', 'set', STA_IF, 'up');
  });

  after(async () => {
    for (const d of running) d.child.kill('SIGKILL');
    await Promise.all(running.map((d) => d.exited));
    try {
      ip('link', 'del', AP_IF);
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('WPS_PBC multi_ap=1 from wpa_cli, wps_pbc from hostapd_cli: backhaul network saved, events on both interactive CLIs, sockets removed on SIGTERM', async (t) => {
    writeFileSync(join(dir, 'hostapd.conf'), HOSTAPD_CONF(dir));
    writeFileSync(join(dir, 'wpas.conf'), WPAS_CONF(dir));
    const ap = start(['ap', '-c', join(dir, 'hostapd.conf'), '-d']);
    const sta = start(['sta', '-i', STA_IF, '-c', join(dir, 'wpas.conf'), '-d']);
    running.push(ap, sta);
    t.after(() => {
      ap.child.kill('SIGKILL');
      sta.child.kill('SIGKILL');
    });
    await until(() => existsSync(join(dir, 'hapd', AP_IF)) && existsSync(join(dir, 'wpas', STA_IF)), 'control sockets');

    assert.equal(cli('hostapd_cli', `${dir}/hapd`, AP_IF, 'ping'), 'PONG\n');
    assert.equal(cli('wpa_cli', `${dir}/wpas`, STA_IF, 'ping'), 'PONG\n');
    // onboard cli speaks the same protocol: one-shot, and interactive with events.
    assert.equal(execFileSync(process.execPath, [BIN, 'cli', '-p', `${dir}/wpas`, '-i', STA_IF, 'ping'], { encoding: 'utf8' }), 'PONG\n');
    assert.match(execFileSync(process.execPath, [BIN, 'cli', '-p', `${dir}/hapd`, 'status'], { encoding: 'utf8' }), /^state=ENABLED\n/);
    const ownCli = spawn(process.execPath, [BIN, 'cli', '-p', `${dir}/wpas`, '-i', STA_IF], { stdio: ['pipe', 'pipe', 'pipe'] });
    let ownOut = '';
    ownCli.stdout.on('data', (d: Buffer) => (ownOut += d.toString()));
    const apEvents = interactive('hostapd_cli', `${dir}/hapd`, AP_IF);
    const staEvents = interactive('wpa_cli', `${dir}/wpas`, STA_IF);
    try {
      await until(() => apEvents.out().includes('Interactive mode') && staEvents.out().includes('Interactive mode') && ownOut.includes('Interactive mode'), 'interactive CLIs attached');
      ownCli.stdin.write('get device_name\n');
      await until(() => ownOut.includes('OnboardSTA\n'), 'onboard cli interactive reply');
      assert.equal(cli('hostapd_cli', `${dir}/hapd`, AP_IF, 'wps_pbc'), 'OK\n');
      assert.equal(cli('wpa_cli', `${dir}/wpas`, STA_IF, 'wps_pbc', 'multi_ap=1'), 'OK\n');
      await until(() => staEvents.out().includes('WPS-SUCCESS'), 'WPS-SUCCESS at wpa_cli');
      await until(() => apEvents.out().includes('WPS-SUCCESS'), 'WPS-SUCCESS at hostapd_cli');
      assert.match(apEvents.out(), /<3>WPS-PBC-ACTIVE/);
      assert.match(apEvents.out(), /<3>WPS-REG-SUCCESS [0-9a-f:]{17} 87654321-9abc-def0-1234-56789abcdef0/);
      const staMac = readFileSync(`/sys/class/net/${STA_IF}/address`, 'utf8').trim();
      assert.match(staEvents.out(), new RegExp(`<3>WPS-CRED-RECEIVED ${credentialHex('backhaul', 'backhaulpass123', staMac)}\\b`));
      // The EAP lines of 2.10's log (test/vectors/captures/real-pbc/wpa_supplicant.log) on the wired link too.
      await until(() => staEvents.out().includes('CTRL-EVENT-EAP-FAILURE'), 'EAP-FAILURE at wpa_cli');
      assert.match(
        staEvents.out(),
        /<3>CTRL-EVENT-EAP-STARTED EAP authentication started[\s\S]*<3>CTRL-EVENT-EAP-PROPOSED-METHOD vendor=14122 method=1[\s\S]*<3>CTRL-EVENT-EAP-METHOD EAP vendor 14122 method 1 \(WSC\) selected[\s\S]*<3>WPS-SUCCESS [\s\S]*<3>CTRL-EVENT-EAP-FAILURE EAP authentication failed/,
      );
      assert.match(sta.out(), /WPS: Building Message M1\n[\s\S]*WPS: Received M2\n[\s\S]*WPS: Received M8\n[\s\S]*WPS: Building Message WSC_Done\n/);
      await until(() => ownOut.includes('<3>WPS-SUCCESS '), 'events in onboard cli interactive');
      ownCli.stdin.end('quit\n');
    } finally {
      ownCli.kill('SIGKILL');
      apEvents.close();
      staEvents.close();
    }

    const status = cli('wpa_cli', `${dir}/wpas`, STA_IF, 'status');
    assert.match(status, /^ssid=backhaul$/m);
    assert.match(status, /^multi_ap_backhaul_sta=1$/m);
    assert.match(cli('hostapd_cli', `${dir}/hapd`, AP_IF, 'wps_get_status'), /Last WPS result: Success/);
    assert.match(cli('wpa_cli', `${dir}/wpas`, STA_IF, 'list_networks'), /^0\tbackhaul\tany\t/m);
    // The save follows the event asynchronously (atomic write).
    await until(() => readFileSync(join(dir, 'wpas.conf'), 'utf8').includes('network={'), 'configuration saved');
    const saved = readFileSync(join(dir, 'wpas.conf'), 'utf8');
    assert.match(saved, /^# the extender's supplicant\n/);
    assert.match(saved, /network=\{\n\tssid="backhaul"\n\tpsk="backhaulpass123"\n[\s\S]*\tmulti_ap_backhaul_sta=1\n\}/);
    assert.equal(statSync(join(dir, 'wpas.conf')).mode & 0o777, 0o600);
    // -d without -K: the key is masked in the debug log.
    assert.match(sta.out(), /WPS: Network Key - hexdump\(len=15\): \[REMOVED\]/);
    assert.equal(sta.out().includes('backhaulpass123'), false);

    ap.child.kill('SIGTERM');
    sta.child.kill('SIGTERM');
    assert.equal(await ap.exited, 0);
    assert.equal(await sta.exited, 0);
    assert.equal(existsSync(join(dir, 'hapd', AP_IF)), false);
    assert.equal(existsSync(join(dir, 'wpas', STA_IF)), false);
  });

  it('a bad configuration file: FILE:LINE on stderr, exit 1, nothing touched', async () => {
    const bad = join(dir, 'bad.conf');
    const text = `ctrl_interface=${dir}/bad\nupdate_config=1\nnetwork={\n\tssid="x"\n\tpsk="short"\n}\n`;
    writeFileSync(bad, text);
    const sta = start(['sta', '-i', STA_IF, '-c', bad]);
    assert.equal(await sta.exited, 1);
    assert.match(sta.err(), new RegExp(`${bad.replace(/[/.]/g, '\\$&')}:5: `));
    assert.equal(readFileSync(bad, 'utf8'), text);
    assert.equal(existsSync(join(dir, 'bad')), false, 'no control directory created');
  });

  it('a socket left by a killed daemon does not block the next start; SIGHUP re-reads the file; -K shows keys', async (t) => {
    const conf = join(dir, 'again.conf');
    writeFileSync(conf, WPAS_CONF(dir).replace('device_name=OnboardSTA', 'device_name=first'));
    const crashed = start(['sta', '-i', STA_IF, '-c', conf]);
    running.push(crashed);
    await until(() => existsSync(join(dir, 'wpas', STA_IF)), 'first socket');
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    assert.ok(existsSync(join(dir, 'wpas', STA_IF)), 'the crash left its socket behind');

    const sta = start(['sta', '-i', STA_IF, '-c', conf, '-d', '-K']);
    running.push(sta);
    t.after(() => sta.child.kill('SIGKILL'));
    await until(() => sta.out().includes('started'), 'second start');
    assert.equal(cli('wpa_cli', `${dir}/wpas`, STA_IF, 'get', 'device_name'), 'first');
    writeFileSync(conf, WPAS_CONF(dir).replace('device_name=OnboardSTA', 'device_name=second'));
    sta.child.kill('SIGHUP');
    await until(() => cli('wpa_cli', `${dir}/wpas`, STA_IF, 'get', 'device_name') === 'second', 'SIGHUP re-read');
    assert.equal(cli('wpa_cli', `${dir}/wpas`, STA_IF, 'wps_pin', 'any', '12345670'), '12345670');
    // Earlier GETs are logged too: wait for this command's own line.
    await until(() => sta.out().includes('WPS_PIN'), 'WPS_PIN logged');
    assert.match(sta.out(), /CTRL_IFACE: \S+: WPS_PIN any 12345670\n/, 'with -K the PIN is in the log');
    assert.equal(cli('wpa_cli', `${dir}/wpas`, STA_IF, 'terminate'), 'OK\n');
    assert.equal(await sta.exited, 0);
  });
});
