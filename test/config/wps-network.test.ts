import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  WpsCredentialError, applyWpsCredentials, networkFieldsFromCredential, networkFromCredential, parseWpaSupplicantConf,
} from '../../src/config/index.js';
import type { NetworkFieldValue, WpsApplyResult } from '../../src/config/index.js';
import type { Credential } from '../../src/wsc/index.js';
import { AuthType, EncrType } from '../../src/wsc/index.js';
import { CAPTURE_FILES, withoutDefaultMeshFwding } from './capture-fixtures.js';

const mac = Buffer.from('020000000b01', 'hex');

function cred(over: Partial<Credential> = {}): Credential {
  return { networkIndex: 1, ssid: Buffer.from('fronthaul'), authType: AuthType.Wpa2Psk, encrType: EncrType.Aes, networkKey: Buffer.from('fronthaulpass'), macAddress: mac, ...over };
}

/** The result with each change as its kind only (the blocks are checked through the file). */
function outcome(result: WpsApplyResult) {
  return { ...result, changes: result.changes.map((c) => c.kind) };
}

function block(fields: NetworkFieldValue[] | { ignored: string }): string {
  assert.ok(Array.isArray(fields), 'credential unexpectedly ignored');
  return fields.map((f) => `\t${f.name}=${typeof f.value === 'string' ? f.value : Buffer.from(f.value).toString('latin1')}\n`).join('');
}

/** The globals of a capture's .after file in the order wpa_supplicant logged reading them (the file before the run). */
function inputBeforeRun(after: string): string {
  const globals = after.slice(0, after.indexOf('\nnetwork={')).split('\n').filter((l) => l !== '');
  const byName = new Map(globals.map((l) => [l.slice(0, l.indexOf('=')), l]));
  const logOrder = ['ctrl_interface', 'ap_scan', 'update_config', 'device_name', 'manufacturer', 'model_name', 'model_number', 'serial_number', 'device_type', 'os_version', 'config_methods', 'uuid'];
  assert.equal(byName.size, logOrder.length);
  return logOrder.map((n) => `${byName.get(n)}\n`).join('');
}

describe('WPS credential → network block', () => {
  for (const capture of CAPTURE_FILES) {
    it(`reproduces ${capture.dir}/wpa_supplicant.conf.after byte for byte`, () => {
      // What the real wpa_supplicant 2.10 wrote after receiving the fronthaul credential in M8.
      const { config, errors } = parseWpaSupplicantConf(inputBeforeRun(capture.wpasAfter));
      assert.deepEqual(errors, []);
      const result = applyWpsCredentials(config, [cred()]);
      assert.deepEqual(outcome(result), { added: [0], removed: 0, ignored: [], changes: ['added'] });
      assert.equal(config.toReferenceFormat().toString(), withoutDefaultMeshFwding(capture.wpasAfter));

      // The preserving writer keeps the user's global order and appends the block in the same format.
      const userOrder = capture.wpasAfter.slice(0, capture.wpasAfter.indexOf('\nnetwork={') + 1);
      const kept = parseWpaSupplicantConf(userOrder).config;
      applyWpsCredentials(kept, [cred()]);
      assert.equal(kept.toString(), withoutDefaultMeshFwding(capture.wpasAfter));
    });
  }

  it('WPA2-PSK/AES with a passphrase (the captures)', () => {
    assert.equal(block(networkFieldsFromCredential(cred())), '\tssid="fronthaul"\n\tpsk="fronthaulpass"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tauth_alg=OPEN\n\tpbss=2\n');
  });

  it('a Multi-AP backhaul run ends the block with multi_ap_backhaul_sta=1 (and multi_ap_profile post-2.10)', () => {
    const c = cred({ ssid: Buffer.from('backhaul'), networkKey: Buffer.from('backhaulpass123') });
    assert.equal(
      block(networkFieldsFromCredential(c, { multiApBackhaulSta: true })),
      '\tssid="backhaul"\n\tpsk="backhaulpass123"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tauth_alg=OPEN\n\tpbss=2\n\tmulti_ap_backhaul_sta=1\n',
    );
    assert.match(block(networkFieldsFromCredential(c, { multiApBackhaulSta: true, multiApProfile: 2 })), /\tmulti_ap_backhaul_sta=1\n\tmulti_ap_profile=2\n$/);
    assert.doesNotMatch(block(networkFieldsFromCredential(c, { multiApBackhaulSta: true, replacesWpsNetwork: false })), /multi_ap|pbss/);
  });

  it('a 64-character key is a raw PSK, written as lowercase hex without quotes', () => {
    const key = 'A1'.repeat(32);
    assert.equal(block(networkFieldsFromCredential(cred({ networkKey: Buffer.from(key) }))), `\tssid="fronthaul"\n\tpsk=${'a1'.repeat(32)}\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tauth_alg=OPEN\n\tpbss=2\n`);
  });

  it('WPA-PSK/TKIP writes neither proto nor pairwise (both are the defaults)', () => {
    assert.equal(block(networkFieldsFromCredential(cred({ authType: AuthType.WpaPsk, encrType: EncrType.Tkip }))), '\tssid="fronthaul"\n\tpsk="fronthaulpass"\n\tkey_mgmt=WPA-PSK\n\tauth_alg=OPEN\n\tpbss=2\n');
  });

  it('mixed WPA-PSK+WPA2-PSK is treated as WPA2-PSK', () => {
    assert.deepEqual(networkFieldsFromCredential(cred({ authType: AuthType.WpaPsk | AuthType.Wpa2Psk })), networkFieldsFromCredential(cred()));
  });

  it('Open/None: key_mgmt=NONE, no key, no proto', () => {
    assert.equal(block(networkFieldsFromCredential(cred({ authType: AuthType.Open, encrType: EncrType.None, networkKey: Buffer.alloc(0) }))), '\tssid="fronthaul"\n\tkey_mgmt=NONE\n\tauth_alg=OPEN\n\tpbss=2\n');
  });

  it('SSIDs with bytes outside printable ASCII are written as hex', () => {
    assert.match(block(networkFieldsFromCredential(cred({ ssid: Buffer.from('caf\u00e9', 'utf8') }))), /^\tssid=636166c3a9\n/);
  });

  it('wps_priority, wps_cred_add_sae and driver GCMP support change the block as in the reference', () => {
    assert.match(block(networkFieldsFromCredential(cred(), { priority: 7 })), /\tauth_alg=OPEN\n\tpriority=7\n\tpbss=2\n/);
    assert.equal(
      block(networkFieldsFromCredential(cred(), { addSae: true })),
      '\tssid="fronthaul"\n\tpsk="fronthaulpass"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK SAE\n\tpairwise=CCMP\n\tpbss=2\n\tieee80211w=1\n',
    );
    assert.doesNotMatch(block(networkFieldsFromCredential(cred({ networkKey: Buffer.from('b'.repeat(64)) }), { addSae: true })), /SAE/);
    assert.match(block(networkFieldsFromCredential(cred(), { driverCiphers: ['GCMP-256', 'GCMP'] })), /\tpairwise=GCMP-256 CCMP GCMP\n\tgroup=GCMP-256 CCMP GCMP TKIP\n/);
  });

  it('a passphrase that is not UTF-8 is handed over and written as its bytes', () => {
    const key = Buffer.from([0x70, 0x61, 0x73, 0x73, 0xe9, 0xe9, 0xe9, 0xe9]);
    const fields = networkFieldsFromCredential(cred({ networkKey: key }));
    assert.ok(Array.isArray(fields));
    assert.deepEqual(fields[1], { name: 'psk', value: Buffer.concat([Buffer.from('"'), key, Buffer.from('"')]) });
    const { config } = parseWpaSupplicantConf('');
    applyWpsCredentials(config, [cred({ networkKey: key })]);
    assert.ok(config.toBuffer().includes(Buffer.concat([Buffer.from('\tpsk="'), key, Buffer.from('"\n')])));
    assert.ok(config.networks[0]?.psk?.kind === 'passphrase' && config.networks[0].psk.bytes.equals(key));
  });

  it('a network that cannot be stored fails on the typed value, where it is made: multi_ap_profile 7 (1..6)', () => {
    // WPS_PBC multi_ap=N refuses N outside 1..6; a profile that gets past it anyway is refused by
    // the rule the file is read with, before any text is written.
    const profile7 = { multiApBackhaulSta: true, multiApProfile: 7 };
    assert.throws(() => networkFromCredential(cred(), profile7), (e: unknown) => e instanceof WpsCredentialError && /multi_ap_profile: 7 is too large \(maximum 6\)/.test(e.message));
    const { config } = parseWpaSupplicantConf('update_config=1\n');
    assert.throws(() => applyWpsCredentials(config, [cred()], profile7), WpsCredentialError);
    assert.equal(config.toString(), 'update_config=1\n', 'nothing was added');
  });

  it('the network kept for a credential is the one its written block reads back as (no second parse needed)', () => {
    const credentials = [
      cred(),
      cred({ networkKey: Buffer.from('a1'.repeat(32)) }),
      cred({ authType: AuthType.WpaPsk, encrType: EncrType.Tkip }),
      cred({ authType: AuthType.Open, encrType: EncrType.None, networkKey: Buffer.alloc(0) }),
      cred({ ssid: Buffer.from('a#"b c', 'latin1') }),
      cred({ networkKey: Buffer.from([0x70, 0x61, 0x73, 0x73, 0xe9, 0xe9, 0xe9, 0xe9]) }),
    ];
    const variants = [{}, { multiApBackhaulSta: true, multiApProfile: 2 }, { addSae: true, priority: 5 }, { driverCiphers: ['GCMP-256', 'GCMP'] as const }];
    for (const [i, c] of credentials.entries()) {
      for (const options of variants) {
        const { config } = parseWpaSupplicantConf('');
        applyWpsCredentials(config, [c], options);
        const reread = parseWpaSupplicantConf(config.toBuffer());
        assert.deepEqual(reread.errors, []);
        assert.deepEqual(config.networks, reread.config.networks, `credential ${i} with ${JSON.stringify(options)}`);
      }
    }
  });

  it('ignores credentials of other authentication types and rejects bad PSK keys', () => {
    assert.deepEqual(networkFieldsFromCredential(cred({ authType: AuthType.Wpa2 })), { ignored: 'unsupported authentication type 0x10' });
    assert.throws(() => networkFieldsFromCredential(cred({ networkKey: Buffer.from('short') })), (e: unknown) => e instanceof WpsCredentialError && /length 5/.test(e.message));
    assert.throws(() => networkFieldsFromCredential(cred({ networkKey: Buffer.from('x'.repeat(65)) })), WpsCredentialError);
    assert.throws(() => networkFieldsFromCredential(cred({ networkKey: Buffer.from('z'.repeat(64)) })), /not hex/);
  });
});

describe('adding WPS networks to an existing file', () => {
  const userFile = [
    '# Extender STA — edited by hand, keep these notes!',
    'ctrl_interface=DIR=/run/wpa_supplicant GROUP=netdev   # socket',
    'update_config=1',
    '',
    '# old office network',
    'network={',
    '\tssid="office"',
    '\t# shared key, rotate yearly',
    '\tpsk="officepassword"',
    '\tkey_mgmt=WPA-PSK',
    '}',
    '',
    '# trailing comment',
    '',
  ].join('\n');

  it('keeps every comment and line, and appends the block in the reference format', () => {
    const { config, errors } = parseWpaSupplicantConf(userFile);
    assert.deepEqual(errors, []);
    assert.deepEqual(outcome(applyWpsCredentials(config, [cred()])), { added: [1], removed: 0, ignored: [], changes: ['added'] });
    assert.equal(config.toString(), `${userFile}\nnetwork={\n\tssid="fronthaul"\n\tpsk="fronthaulpass"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tauth_alg=OPEN\n\tpbss=2\n}\n`);
  });

  it('replaces an existing network with the same SSID and security, keeps other networks', () => {
    const { config } = parseWpaSupplicantConf(userFile);
    applyWpsCredentials(config, [cred()]);
    const again = applyWpsCredentials(config, [cred({ networkKey: Buffer.from('newfronthaulpass') })], { multiApBackhaulSta: true });
    assert.deepEqual(outcome(again), { added: [1], removed: 1, ignored: [], changes: ['added', 'removed'] });
    assert.equal(config.networks.length, 2);
    assert.equal(config.networks[0]?.ssid?.toString(), 'office');
    assert.equal(config.networks[1]?.psk?.kind === 'passphrase' && config.networks[1].psk.passphrase, 'newfronthaulpass');
    assert.equal(config.networks[1]?.multiApBackhaulSta, true);
    // A same-SSID network with other security is not a duplicate.
    applyWpsCredentials(config, [cred({ authType: AuthType.Open, encrType: EncrType.None, networkKey: Buffer.alloc(0) })]);
    assert.equal(config.networks.length, 3);
    assert.ok(config.toString().startsWith(userFile));
  });

  it('merges the WPA and WPA2 credentials of one M8 into one network', () => {
    const { config } = parseWpaSupplicantConf(userFile);
    const result = applyWpsCredentials(config, [cred(), cred({ authType: AuthType.WpaPsk, encrType: EncrType.Tkip })]);
    // The second credential is added, then the first one's network merged into it and removed.
    assert.deepEqual(outcome(result), { added: [1], removed: 1, ignored: [], changes: ['added', 'added', 'removed'] });
    const n = config.networks[1];
    assert.deepEqual(n?.proto, ['WPA', 'RSN']);
    assert.deepEqual(n?.pairwise, ['CCMP', 'TKIP']);
    assert.equal(n?.pbss, 0, 'the second credential was a new network, not the replaced WPS one');
  });

  it('the first credential takes the place of the run\'s temporary WPS network (never written until then); a later one is added; an older duplicate is removed', () => {
    const { config } = parseWpaSupplicantConf(userFile);
    applyWpsCredentials(config, [cred()]);
    const before = config.toString();
    // As wpas_wps_add_network sets it up; config_file.c does not write it.
    const wpsIndex = config.addNetwork([{ name: 'key_mgmt', value: 'WPS' }, { name: 'eap', value: 'WSC' }, { name: 'identity', value: '"WFA-SimpleConfig-Enrollee-1-0"' }, { name: 'phase1', value: '"pbc=1"' }, { name: 'pbss', value: '2' }], { temporary: true });
    assert.equal(wpsIndex, 2);
    assert.equal(config.toString(), before);
    assert.equal(config.toReferenceFormat().toString().includes('WPS'), false);
    const wpsBlock = config.networkBlocks[wpsIndex];
    const result = applyWpsCredentials(config, [cred({ networkKey: Buffer.from('newfronthaulpass') }), cred({ ssid: Buffer.from('second') })], { wpsNetworkIndex: wpsIndex });
    // wpas_wps_remove_dup_network removes the older "fronthaul"; the second credential is a new network.
    assert.deepEqual(outcome(result), { added: [1, 2], removed: 1, ignored: [], changes: ['removed', 'added'] });
    assert.equal(config.networkBlocks[1], wpsBlock, 'the WPS network block itself now holds the credential');
    assert.equal(
      config.toString(),
      `${userFile}\nnetwork={\n\tssid="fronthaul"\n\tpsk="newfronthaulpass"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tauth_alg=OPEN\n\tpbss=2\n}\n\nnetwork={\n\tssid="second"\n\tpsk="fronthaulpass"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tauth_alg=OPEN\n}\n`,
    );
    // A temporary network removed leaves the file as it was.
    const other = parseWpaSupplicantConf(userFile).config;
    other.removeNetwork(other.addNetwork([{ name: 'key_mgmt', value: 'WPS' }], { temporary: true }));
    assert.equal(other.toString(), userFile);
  });

  it('different passphrases in one M8 stay separate networks', () => {
    const { config } = parseWpaSupplicantConf(userFile);
    const result = applyWpsCredentials(config, [cred(), cred({ authType: AuthType.WpaPsk, encrType: EncrType.Tkip, networkKey: Buffer.from('otherpassword') })]);
    assert.deepEqual(outcome(result), { added: [1, 2], removed: 0, ignored: [], changes: ['added', 'added'] });
  });

  it('honours wps_cred_processing=1 (report only), wps_priority and skips ignored credentials', () => {
    const reportOnly = parseWpaSupplicantConf('wps_cred_processing=1\n').config;
    assert.deepEqual(outcome(applyWpsCredentials(reportOnly, [cred()])), { added: [], removed: 0, ignored: [], changes: [] });
    assert.equal(reportOnly.toString(), 'wps_cred_processing=1\n');

    const prio = parseWpaSupplicantConf('wps_priority=3\n').config;
    const result = applyWpsCredentials(prio, [cred({ authType: AuthType.Wpa2 }), cred()]);
    assert.deepEqual(outcome(result), { added: [0], removed: 0, ignored: [{ credential: 0, reason: 'unsupported authentication type 0x10' }], changes: ['added'] });
    assert.equal(prio.networks[0]?.priority, 3);
    assert.equal(prio.networks[0]?.pbss, 2, 'the first credential used replaces the WPS network even after an ignored one');
  });
});
