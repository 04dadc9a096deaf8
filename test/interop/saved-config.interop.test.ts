/**
 * The real wpa_supplicant 2.10 reads the file onboard saved after hostile control-interface values
 * (newlines, quotes, `#`, control bytes, NUL): it starts on it, holds the same networks, and
 * reports the same values (GET_NETWORK answers in its own writer's encoding, which is the one we
 * wrote). A file it refused would stop the reference daemon the next time it starts.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CtrlServerCore } from '../../src/ctrl/server-core.js';
import { removeLeftovers, requireTools, wiredWpasConf, withBench } from '../support/interop.js';
import { staDaemonOnFile } from '../support/sta-daemon.js';

const HOSTILE: [string, string][] = [
  ['SET_NETWORK 0 identity "alice"\n}\npkcs11_module_path=/tmp/evil.so\n"', 'OK\n'],
  ['SET_NETWORK 0 ssid ""\n}\nnetwork={\nkey_mgmt=NONE\n#"', 'OK\n'],
  ['SET device_name x\nctrl_interface_group=0', 'FAIL\n'],
  ['SET_NETWORK 0 anonymous_identity 017fff0a00', 'OK\n'],
  ['SET_NETWORK 0 phase2 "a"#b"', 'OK\n'],
  ['SET_NETWORK 0 phase1 "peaplabel=0"', 'OK\n'],
  ['SET_NETWORK 0 psk "abc"#defgh"', 'FAIL\n'],
  ['SET_NETWORK 0 priority \n7', 'OK\n'],
  ['SET_NETWORK 0 key_mgmt WPA-PSK\nNONE', 'FAIL\n'],
  ['ADD_NETWORK', '1\n'],
  ['SET_NETWORK 1 ssid 0a7d0a', 'OK\n'],
  ['SET_NETWORK 1 key_mgmt NONE', 'OK\n'],
  ['SET_NETWORK 1 id_str "x#y"', 'OK\n'],
  ['SAVE_CONFIG', 'OK\n'],
];

describe('real wpa_supplicant 2.10 reads the file onboard saved after hostile SET_NETWORK/SET values', () => {
  before(() => {
    requireTools('wpa_supplicant', 'wpa_cli', 'ip');
    removeLeftovers();
  });

  it('starts on it and reports the same networks and values', async () => {
    await withBench(async (b) => {
      const ctrlDir = `${b.dir}/wpas`;
      const confPath = b.file('ours.conf', `${wiredWpasConf(ctrlDir)}\nnetwork={\n\tssid="home"\n\tpsk="passphrase1"\n}\n`);
      const daemon = staDaemonOnFile(confPath, b.localIf);
      const ctrl = new CtrlServerCore({ maxRequestBytes: 8192, handle: (ctx) => daemon.handle(ctx) });
      for (const [command, reply] of HOSTILE) assert.equal(await ctrl.request('/tmp/x', Buffer.from(command)), reply, JSON.stringify(command));
      const saved = readFileSync(confPath, 'latin1');

      const wpas = b.wpaSupplicant(saved);
      await b.waitSocket(ctrlDir, b.peerIf, wpas);
      const cli = (...args: string[]) => b.cli('wpa_cli', ctrlDir, b.peerIf, ...args).trimEnd();
      assert.equal(cli('ping'), 'PONG');
      assert.equal(cli('list_networks').split('\n').length, 3, 'two networks and the header');
      // wpa_supplicant's GET_NETWORK answers with its writer's encoding of what it read.
      assert.equal(cli('get_network', '0', 'ssid'), '220a7d0a6e6574776f726b3d7b0a6b65795f6d676d743d4e4f4e450a23');
      assert.equal(cli('get_network', '0', 'identity'), '616c696365220a7d0a706b637331315f6d6f64756c655f706174683d2f746d702f6576696c2e736f0a');
      assert.equal(cli('get_network', '0', 'anonymous_identity'), '017fff0a00');
      assert.equal(cli('get_network', '0', 'phase2'), '"a"#b"');
      assert.equal(cli('get_network', '0', 'phase1'), '"peaplabel=0"');
      assert.equal(cli('get_network', '0', 'priority'), '7');
      assert.equal(cli('get_network', '1', 'ssid'), '0a7d0a');
      assert.equal(cli('get_network', '1', 'id_str'), '"x#y"');
      assert.equal(cli('get', 'device_name'), 'STA');
      assert.doesNotMatch(wpas.output(), /failed to parse|Invalid|invalid/);
    });
  });
});
