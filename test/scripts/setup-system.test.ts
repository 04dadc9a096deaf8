/**
 * scripts/setup-system.sh (run by `npm test` as root) must not stop the machine's hostapd and
 * wpa_supplicant services unless asked: on a laptop that takes the Wi-Fi down. The script runs here
 * with its system commands (id, dpkg, systemctl and the tools it checks for) replaced by recorders
 * on PATH, so the test neither needs root nor touches this machine's services.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../scripts/setup-system.sh', import.meta.url));
const TOOLS = ['hostapd', 'wpa_supplicant', 'hostapd_cli', 'wpa_cli', 'tshark', 'ip', 'gcc', 'stdbuf'];

function run(args: string[], env: Record<string, string>): { status: number | null; systemctl: string[]; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'onboard-setup-'));
  try {
    const log = join(dir, 'calls.log');
    const shim = (name: string, body: string) => {
      writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(dir, name), 0o755);
    };
    shim('id', 'echo 0');
    shim('dpkg', 'exit 0');
    shim('apt-get', `echo "apt-get $*" >> '${log}'`);
    shim('systemctl', `echo "systemctl $*" >> '${log}'`);
    for (const tool of TOOLS) shim(tool, 'exit 0');
    const { CI: _ci, ...inherited } = process.env;
    const result = spawnSync('bash', [SCRIPT, ...args], { env: { ...inherited, PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, ...env }, encoding: 'utf8' });
    const calls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l !== '') : [];
    return { status: result.status, systemctl: calls.filter((c) => c.startsWith('systemctl')), output: result.stdout + result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/setup-system.sh', () => {
  it('leaves the system hostapd/wpa_supplicant services alone by default', () => {
    const r = run([], {});
    assert.equal(r.status, 0, r.output);
    assert.deepEqual(r.systemctl, []);
  });

  it('stops them only when asked: --stop-services, or CI=true', () => {
    for (const [args, env] of [[['--stop-services'], {}], [[], { CI: 'true' }]] as const) {
      const r = run([...args], { ...env });
      assert.equal(r.status, 0, r.output);
      assert.deepEqual(r.systemctl, ['systemctl disable --now hostapd wpa_supplicant']);
    }
  });

  it('refuses an unknown option rather than guessing', () => {
    const r = run(['--stop-service'], {});
    assert.equal(r.status, 2);
    assert.deepEqual(r.systemctl, []);
  });
});
