/**
 * Secrets in logs and replies without -K (issue 16 item 3): every field of the secret table, set
 * through the real control socket, stays out of the -d log, and GET_NETWORK answers `*` for every
 * STA network field wpa_supplicant 2.10 marks as key data (wpa_config_get_no_key). The reference
 * logs each SET_NETWORK as `SET_NETWORK [REMOVED]`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AP_SECRET_OPTIONS, STA_SECRET_GLOBALS, STA_SECRET_NETWORK_FIELDS } from '../../src/config/index.js';
import { CtrlSocketServer } from '../../src/ctrl/ctrl-socket.js';
import { CtrlServerCore } from '../../src/ctrl/server-core.js';
import type { CommandHandler } from '../../src/ctrl/server-core.js';
import { ctrlRequest } from '../../src/ctrl/unix-dgram.js';
import { Logger, LogLevel } from '../../src/util/logger.js';
import { staDaemonOnFile } from '../support/sta-daemon.js';

/** A valid value for each secret network field, each with a marker to look for in the log. */
const NETWORK_VALUES: Record<string, string> = {
  psk: '"mark-psk-01"',
  sae_password: '"mark-sae"',
  password: '"mark-password"',
  machine_password: '"mark-machine-password"',
  private_key_passwd: '"mark-pkpw"',
  private_key2_passwd: '"mark-pk2pw"',
  pin: '"mark-pin"',
  pin2: '"mark-pin2"',
  machine_private_key_passwd: '"mark-mpkpw"',
  machine_pin: '"mark-mpin"',
  wep_key0: '"mark0"',
  wep_key1: '"mark1"',
  wep_key2: '"mark2"',
  wep_key3: '"mark3"',
  mka_cak: '6d61726b2d6d6b612d63616b2d303031',
  mka_ckn: '6d61726b2d6d6b612d636b6e2d303031',
};

async function withSocket(handle: CommandHandler, showKeys: boolean, fn: (path: string) => Promise<void>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'onboard-secrets-'));
  const lines: string[] = [];
  const log = new Logger({ level: LogLevel.Debug, showKeys, sink: (l) => lines.push(l) });
  const server = await CtrlSocketServer.open({ dir, ifname: 'wlan0', core: new CtrlServerCore({ maxRequestBytes: 8192, handle }), log });
  try {
    await fn(server.path);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

function staDaemon(dir: string) {
  const confPath = join(dir, 'wpa_supplicant.conf');
  writeFileSync(confPath, 'update_config=1\nnetwork={\n\tssid="home"\n\tkey_mgmt=WPA-EAP\n}\n');
  return staDaemonOnFile(confPath, 'wlan0');
}

describe('secrets without -K', () => {
  it('every secret STA network field: SET_NETWORK logged as SET_NETWORK [REMOVED], GET_NETWORK answers *', async () => {
    assert.deepEqual(new Set(Object.keys(NETWORK_VALUES)), new Set(STA_SECRET_NETWORK_FIELDS), 'a value for every field of the table');
    const dir = mkdtempSync(join(tmpdir(), 'onboard-secrets-sta-'));
    try {
      const daemon = staDaemon(dir);
      const lines = await withSocket((ctx) => daemon.handle(ctx), false, async (path) => {
        for (const [field, value] of Object.entries(NETWORK_VALUES)) {
          assert.equal(await ctrlRequest(path, `SET_NETWORK 0 ${field} ${value}`), 'OK\n', field);
          assert.equal(await ctrlRequest(path, `GET_NETWORK 0 ${field}`), '*', field);
        }
        assert.equal(await ctrlRequest(path, 'GET_NETWORK 0 ssid'), '"home"', 'other fields are answered');
      });
      const log = lines.join('\n');
      for (const [field, value] of Object.entries(NETWORK_VALUES)) assert.equal(log.includes(value.replaceAll('"', '')), false, `${field} is not in the log`);
      assert.equal(lines.filter((l) => l.endsWith(': SET_NETWORK [REMOVED]')).length, STA_SECRET_NETWORK_FIELDS.size);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SET of every secret global (wpa_supplicant) and option (hostapd) is logged without its value; -K shows it', async () => {
    const names = [...STA_SECRET_GLOBALS, ...AP_SECRET_OPTIONS];
    const send = async (path: string) => {
      for (const name of names) await ctrlRequest(path, `SET ${name} mark-${name}`);
    };
    const hidden = (await withSocket(() => 'FAIL\n', false, send)).join('\n');
    for (const name of names) {
      assert.equal(hidden.includes(`mark-${name}`), false, `${name} is not in the log`);
      assert.ok(hidden.includes(`SET ${name} [REMOVED]`), name);
    }
    const shown = (await withSocket(() => 'FAIL\n', true, send)).join('\n');
    for (const name of names) assert.ok(shown.includes(`SET ${name} mark-${name}`), `${name} is logged with -K`);
  });
});
