import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConfigError, ConfigFileError, ConfigWarning, parseWpaSupplicantConf, parseWpaSupplicantConfOrThrow,
} from '../../src/config/index.js';
import { REAL_PBC_WPAS_AFTER, withoutDefaultMeshFwding } from './capture-fixtures.js';

function parse(text: string) {
  return parseWpaSupplicantConf(text, { file: 'wpas.conf' });
}

function messages(text: string): string[] {
  return parse(text).errors.map((e) => e.message);
}

function warnings(text: string): string[] {
  return parse(text).warnings.map((w) => w.message);
}

describe('wpa_supplicant.conf: globals', () => {
  it('parses every WPS-relevant global (wpa_supplicant/config.c global_fields)', () => {
    const { config, errors, warnings: warns } = parse(
      [
        'ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev',
        'ctrl_interface_group=wheel',
        'eapol_version=2',
        'ap_scan=0',
        'update_config=1',
        'uuid=87654321-9ABC-def0-1234-56789abcdef0',
        'auto_uuid=1',
        'device_name=Living room STA',
        'manufacturer=Reference',
        'model_name=wpa_supplicant',
        'model_number=2.10',
        'serial_number=0002',
        'device_type=1-0050f204-1',
        'os_version=01020300',
        'config_methods=push_button virtual_push_button keypad display',
        'wps_cred_processing=2',
        'wps_cred_add_sae=1',
        'wps_vendor_ext_m1=000137100100020001',
        'wps_priority=0x10',
        '',
      ].join('\n'),
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(warns, []);
    const g = config.globals;
    assert.deepEqual(g.ctrlInterface, { dir: '/var/run/wpa_supplicant', group: 'netdev' });
    assert.equal(g.ctrlInterfaceValue, 'DIR=/var/run/wpa_supplicant GROUP=netdev');
    assert.equal(g.ctrlInterfaceGroup, 'wheel');
    assert.equal(g.eapolVersion, 2);
    assert.equal(g.apScan, 0);
    assert.equal(g.updateConfig, 1);
    assert.equal(g.uuid?.toString('hex'), '876543219abcdef0123456789abcdef0');
    assert.equal(g.autoUuid, true);
    assert.equal(g.deviceName, 'Living room STA');
    assert.equal(g.manufacturer, 'Reference');
    assert.equal(g.modelName, 'wpa_supplicant');
    assert.equal(g.modelNumber, '2.10');
    assert.equal(g.serialNumber, '0002');
    assert.equal(g.deviceType?.toString('hex'), '00010050f2040001');
    assert.equal(g.osVersion, 0x01020300);
    assert.equal(g.configMethods, 'push_button virtual_push_button keypad display');
    assert.equal(g.wpsCredProcessing, 2);
    assert.equal(g.wpsCredAddSae, true);
    assert.equal(g.wpsVendorExtM1?.toString('hex'), '000137100100020001');
    assert.equal(g.wpsPriority, 16);
  });

  it('ctrl_interface: plain path form takes the group from ctrl_interface_group; no_ctrl_interface clears it', () => {
    assert.deepEqual(parse('ctrl_interface=/run/wpas\n').config.globals.ctrlInterface, { dir: '/run/wpas' });
    assert.deepEqual(parse('ctrl_interface=DIR=/run/wpas\n').config.globals.ctrlInterface, { dir: '/run/wpas' });
    const g = parse('ctrl_interface=/run/wpas\nno_ctrl_interface=\n').config.globals;
    assert.equal(g.ctrlInterface, undefined);
    assert.equal(g.ctrlInterfaceValue, undefined);
  });

  it('uses the reference defaults for unset globals, and the last occurrence wins', () => {
    const g = parse('# nothing\n').config.globals;
    assert.deepEqual(
      { eapolVersion: g.eapolVersion, apScan: g.apScan, updateConfig: g.updateConfig, autoUuid: g.autoUuid, wpsCredProcessing: g.wpsCredProcessing, uuid: g.uuid },
      { eapolVersion: 1, apScan: 1, updateConfig: 0, autoUuid: false, wpsCredProcessing: 0, uuid: undefined },
    );
    assert.equal(parse('ap_scan=1\nap_scan=2\n').config.globals.apScan, 2);
  });

  it('integers are read like strtol(…, 0): hex and octal forms, nothing trailing', () => {
    assert.equal(parse('ap_scan=0x2\n').config.globals.apScan, 2);
    assert.equal(parse('wps_priority=010\n').config.globals.wpsPriority, 8);
    assert.equal(parse('wps_priority=-3\n').config.globals.wpsPriority, -3);
    assert.deepEqual(messages('ap_scan=08\n'), ['wpas.conf:1: ap_scan: invalid number "08"']);
    assert.deepEqual(messages('ap_scan=1x\n'), ['wpas.conf:1: ap_scan: invalid number "1x"']);
    assert.deepEqual(messages('ap_scan=\n'), ['wpas.conf:1: ap_scan: invalid number ""']);
    assert.deepEqual(messages('ap_scan=99999999999\n'), ['wpas.conf:1: ap_scan: invalid number "99999999999"']);
  });

  it('strips comments and blanks like the reference reader, but not a # inside quotes', () => {
    const { config, errors } = parse('  device_name=abc # comment\n\tmodel_name=x#y\n\nnetwork={\n\tssid="a#b" # c\n\tpsk="pass#word"\n}\n');
    assert.deepEqual(errors, []);
    assert.equal(config.globals.deviceName, 'abc');
    assert.equal(config.globals.modelName, 'x');
    assert.equal(config.networks[0]?.ssid?.toString(), 'a#b');
    assert.equal(config.networks[0]?.psk?.kind === 'passphrase' && config.networks[0].psk.passphrase, 'pass#word');
  });

  it('reports every invalid global value at its line', () => {
    const text = [
      'eapol_version=4',
      'uuid=12345678-9abc-def0-1234-56789abcdef',
      'uuid=12345678-9abc-def0-1234-56789abcdef0x',
      'auto_uuid=2',
      'device_name=123456789012345678901234567890123',
      'manufacturer=' + 'm'.repeat(65),
      'model_name=' + 'm'.repeat(33),
      'model_number=' + 'm'.repeat(33),
      'serial_number=' + 's'.repeat(33),
      'device_type=1-0050F20-1',
      'device_type=70000-0050F204-1',
      'os_version=0102030',
      'os_version=010203000',
      'wps_cred_processing=3',
      'wps_cred_add_sae=-1',
      'wps_vendor_ext_m1=abc',
      'wps_vendor_ext_m1=',
      'p2p_go_intent=16',
      'filter_rssi=5',
      '',
    ].join('\n');
    assert.deepEqual(messages(text), [
      'wpas.conf:1: eapol_version: 4 is too large (maximum 3)',
      'wpas.conf:2: uuid: invalid UUID "12345678-9abc-def0-1234-56789abcdef" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)',
      'wpas.conf:3: uuid: invalid UUID "12345678-9abc-def0-1234-56789abcdef0x" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)',
      'wpas.conf:4: auto_uuid: 2 is too large (maximum 1)',
      'wpas.conf:5: device_name: too long (33 bytes, at most 32)',
      'wpas.conf:6: manufacturer: too long (65 bytes, at most 64)',
      'wpas.conf:7: model_name: too long (33 bytes, at most 32)',
      'wpas.conf:8: model_number: too long (33 bytes, at most 32)',
      'wpas.conf:9: serial_number: too long (33 bytes, at most 32)',
      'wpas.conf:10: device_type: invalid device type "1-0050F20-1" (expected <category>-<8 hex digits>-<subcategory>, e.g. 1-0050F204-1)',
      'wpas.conf:11: device_type: invalid device type "70000-0050F204-1" (expected <category>-<8 hex digits>-<subcategory>, e.g. 1-0050F204-1)',
      'wpas.conf:12: os_version: invalid value "0102030" (expected exactly 8 hex digits)',
      'wpas.conf:13: os_version: invalid value "010203000" (expected exactly 8 hex digits)',
      'wpas.conf:14: wps_cred_processing: 3 is too large (maximum 2)',
      'wpas.conf:15: wps_cred_add_sae: -1 is too small (minimum 0)',
      'wpas.conf:16: wps_vendor_ext_m1: expected an even number (at least 2) of hex digits',
      'wpas.conf:17: wps_vendor_ext_m1: expected an even number (at least 2) of hex digits',
      'wpas.conf:18: p2p_go_intent: 16 is too large (maximum 15)',
      'wpas.conf:19: filter_rssi: 5 is too large (maximum 0)',
    ]);
  });

  it('refuses unknown options and lines that are not name=value, as the reference does', () => {
    assert.deepEqual(messages('# header\nfoo=bar\nap_scan\nap_scan = 1\n'), [
      "wpas.conf:2: unknown global option 'foo'",
      "wpas.conf:3: invalid line 'ap_scan' (expected name=value)",
      "wpas.conf:4: unknown global option 'ap_scan ' (no blanks are allowed around '=')",
    ]);
    const err = parse('foo=bar\n').errors[0];
    assert.ok(err instanceof ConfigError);
    assert.equal(err.code, 'config-unknown-option');
    assert.equal(err.file, 'wpas.conf');
    assert.equal(err.line, 1);
    assert.equal(err.option, 'foo');
  });

  it('label and display together are refused (the reference cannot start WPS with them)', () => {
    assert.deepEqual(messages('ap_scan=1\nconfig_methods=label display\n'), [
      'wpas.conf:2: config_methods: label and display cannot be used together (the reference refuses to start WPS)',
    ]);
  });

  it('warns about options it parses but does not implement, naming them', () => {
    assert.deepEqual(warnings('country=DE\np2p_disabled=1\nbgscan="simple:30:-45:300"\ntx_queue_data2_aifs=1\n'), [
      'wpas.conf:1: country: accepted but not implemented by onboard; it has no effect',
      'wpas.conf:2: p2p_disabled: accepted but not implemented by onboard; it has no effect',
      'wpas.conf:3: bgscan: accepted but not implemented by onboard; it has no effect',
      'wpas.conf:4: tx_queue_data2_aifs: accepted but not implemented by onboard; it has no effect',
    ]);
    const w = parse('country=DE\n').warnings[0];
    assert.ok(w instanceof ConfigWarning);
    assert.equal(w.code, 'config-not-implemented');
    assert.equal(w.option, 'country');
    assert.equal(parse('country=DE\n').config.globals.unimplemented.get('country'), 'DE');
  });

  it('warns about values the reference accepts but probably were not meant', () => {
    assert.deepEqual(warnings('device_name="My STA"\nconfig_methods=push_button usba keyboard\n'), [
      'wpas.conf:1: device_name: the quotes are kept as part of the value (global options are not quoted)',
      "wpas.conf:2: config_methods: 'usba' is not a method name the reference recognises; it is ignored",
      "wpas.conf:2: config_methods: 'keyboard' is not a method name; it is ignored",
    ]);
    assert.equal(parse('device_name="My STA"\n').config.globals.deviceName, '"My STA"');
    const long = `device_name=${'x'.repeat(20)}#${'y'.repeat(600)}\n`;
    assert.deepEqual(warnings(long), ['wpas.conf:1: line is 633 bytes long; the reference reads only the first 510 and ignores the rest']);
  });

  it('the OrThrow variant throws a ConfigFileError listing all errors', () => {
    assert.throws(
      () => parseWpaSupplicantConfOrThrow('foo=1\nap_scan=x\n', { file: 'f.conf' }),
      (e: unknown) => e instanceof ConfigFileError && e.errors.length === 2 && e.message.includes("f.conf:1: unknown global option 'foo'") && e.message.includes('f.conf:2: ap_scan: invalid number "x"'),
    );
    assert.equal(parseWpaSupplicantConfOrThrow(REAL_PBC_WPAS_AFTER).config.networks.length, 1);
  });
});

describe('wpa_supplicant.conf: network blocks', () => {
  it('parses the fields a WPS network uses (wpa_supplicant/config.c ssid_fields)', () => {
    const { config, errors, warnings: warns } = parse(
      [
        'network={',
        '\tssid="fronthaul"',
        '\tscan_ssid=1',
        '\tbssid=02:00:00:00:0A:01',
        '\tpsk="fronthaulpass"',
        '\tproto=WPA2',
        '\tkey_mgmt=WPA-PSK SAE',
        '\tpairwise=CCMP',
        '\tgroup=CCMP',
        '\tgroup_mgmt=AES-128-CMAC',
        '\tauth_alg=OPEN',
        '\tpriority=5',
        '\tmesh_fwding=1',
        '\tdisabled=2',
        '\tpbss=2',
        '\twps_disabled=1',
        '\tieee80211w=1',
        '\tid_str="home"',
        '\tmulti_ap_backhaul_sta=1',
        '\tmulti_ap_profile=2',
        '}',
        '',
      ].join('\n'),
    );
    assert.deepEqual(errors, []);
    // Kept and written back, but without their effect: each is reported, never passed as implemented.
    assert.ok(warns.every((w) => w.code === 'config-not-implemented'), warns.join('\n'));
    assert.deepEqual(warns.map((w) => w.option), ['group_mgmt', 'wps_disabled', 'ieee80211w', 'id_str']);
    // What wpa_supplicant 2.10 itself writes after WPS (pbss=2 included) reads back without a word.
    assert.deepEqual(parse(REAL_PBC_WPAS_AFTER).warnings, []);
    const strict = parse('network={\n\tssid="x"\n\tproto=WPA\n\tpairwise=TKIP\n\tgroup=TKIP\n\tkey_mgmt=SAE\n\tauth_alg=SHARED\n}\n').warnings;
    assert.deepEqual(strict.map((w) => `${w.option} ${w.code}`), ['proto config-not-implemented', 'pairwise config-not-implemented', 'group config-not-implemented', 'key_mgmt config-not-implemented', 'auth_alg config-not-implemented']);
    const n = config.networks[0];
    assert.ok(n);
    assert.equal(n.ssid?.toString(), 'fronthaul');
    assert.equal(n.scanSsid, true);
    assert.equal(n.bssid?.toString('hex'), '020000000a01');
    assert.deepEqual(n.psk, { kind: 'passphrase', passphrase: 'fronthaulpass', bytes: Buffer.from('fronthaulpass') });
    assert.deepEqual(n.proto, ['RSN']);
    assert.deepEqual(n.keyMgmt, ['WPA-PSK', 'SAE']);
    assert.deepEqual(n.pairwise, ['CCMP']);
    assert.deepEqual(n.group, ['CCMP']);
    assert.deepEqual(n.groupMgmt, ['AES-128-CMAC']);
    assert.deepEqual(n.authAlg, ['OPEN']);
    assert.equal(n.priority, 5);
    assert.equal(n.meshFwding, 1);
    assert.equal(n.disabled, 2);
    assert.equal(n.pbss, 2);
    assert.equal(n.wpsDisabled, true);
    assert.equal(n.ieee80211w, 1);
    assert.equal(n.idStr?.toString(), 'home');
    assert.equal(n.multiApBackhaulSta, true);
    assert.equal(n.multiApProfile, 2);
  });

  it('reads SSIDs quoted, as hex and as P"…" with escapes', () => {
    const ssids = ['ssid="a b"', 'ssid=666f6F', 'ssid=P"x\\ny\\x41\\101\\"\\\\\\q"', 'ssid=""'].map(
      (line) => parse(`network={\n${line}\n}\n`).config.networks[0]?.ssid?.toString('latin1'),
    );
    assert.deepEqual(ssids, ['a b', 'foo', 'x\nyAA"\\q', '']);
  });

  it('reads a PSK as a quoted passphrase or 64 hex digits', () => {
    const hex = '00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF';
    const n = parse(`network={\nssid="x"\npsk=${hex}\n}\n`).config.networks[0];
    assert.deepEqual(n?.psk, { kind: 'psk', psk: Buffer.from(hex, 'hex') });
  });

  it('uses the reference defaults, and drops CCMP from group when no pairwise cipher allows it', () => {
    const n = parse('network={\nssid="x"\n}\n').config.networks[0];
    assert.deepEqual(
      { proto: n?.proto, keyMgmt: n?.keyMgmt, pairwise: n?.pairwise, group: n?.group, authAlg: n?.authAlg, priority: n?.priority, disabled: n?.disabled },
      { proto: ['WPA', 'RSN'], keyMgmt: ['WPA-PSK', 'WPA-EAP'], pairwise: ['CCMP', 'TKIP'], group: ['CCMP', 'TKIP'], authAlg: [], priority: 0, disabled: 0 },
    );
    assert.deepEqual(parse('network={\npairwise=TKIP\n}\n').config.networks[0]?.group, ['TKIP']);
  });

  it('reports every invalid field value at its line', () => {
    const text = [
      'network={',
      'ssid=abc',
      'ssid="' + 'x'.repeat(33) + '"',
      'ssid="a"b',
      'scan_ssid=2',
      'bssid=02:00:00:00:0a',
      'psk="short"',
      'psk="' + 'p'.repeat(64) + '"',
      'psk="pass\x01word"',
      'psk=0011',
      'psk="password"x',
      'proto=WPA3',
      'proto=',
      'key_mgmt=WPA-PSK FOO',
      'pairwise=CCMP WEP40',
      'pairwise=AES',
      'group=NONE',
      'auth_alg=OPEN BOGUS',
      'priority=high',
      'disabled=3',
      'multi_ap_backhaul_sta=2',
      'multi_ap_profile=7',
      'multi_ap_profile=0',
      'pbss=3',
      'ieee80211w=3',
      'frequency=80000',
      'identity=unquoted',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(messages(text), [
      'wpas.conf:2: ssid: cannot parse the value (expected "text", P"text" or hex)',
      'wpas.conf:3: ssid: too long (33 bytes, at most 32)',
      'wpas.conf:4: ssid: cannot parse the value (expected "text", P"text" or hex)',
      'wpas.conf:5: scan_ssid: 2 is too large (maximum 1)',
      "wpas.conf:6: bssid: invalid BSSID '02:00:00:00:0a'",
      'wpas.conf:7: psk: invalid passphrase length 5 (expected 8..63)',
      'wpas.conf:8: psk: invalid passphrase length 64 (expected 8..63)',
      'wpas.conf:9: psk: invalid passphrase character (control characters are not allowed)',
      'wpas.conf:10: psk: invalid PSK (expected a "passphrase" of 8..63 characters or exactly 64 hex digits)',
      'wpas.conf:11: psk: text after the closing quote of the passphrase',
      "wpas.conf:12: proto: invalid value 'WPA3'",
      'wpas.conf:13: proto: no values configured',
      "wpas.conf:14: key_mgmt: invalid value 'FOO'",
      'wpas.conf:15: pairwise: cipher WEP40 not allowed here',
      "wpas.conf:16: pairwise: invalid cipher 'AES'",
      'wpas.conf:17: group: cipher NONE not allowed here',
      "wpas.conf:18: auth_alg: invalid value 'BOGUS'",
      'wpas.conf:19: priority: invalid number "high"',
      'wpas.conf:20: disabled: 3 is too large (maximum 2)',
      'wpas.conf:21: multi_ap_backhaul_sta: 2 is too large (maximum 1)',
      'wpas.conf:22: multi_ap_profile: 7 is too large (maximum 6)',
      'wpas.conf:23: multi_ap_profile: 0 is too small (minimum 1)',
      'wpas.conf:24: pbss: 3 is too large (maximum 2)',
      'wpas.conf:25: ieee80211w: 3 is too large (maximum 2)',
      'wpas.conf:26: frequency: 80000 is too large (maximum 70200)',
      'wpas.conf:27: identity: cannot parse the value (expected "text", P"text" or hex)',
    ]);
  });

  it('never echoes a passphrase or PSK in a message', () => {
    const all = parse('network={\npsk="secret"\npsk=secretsecret\npsk="secretsecret"x\n}\n').errors.map((e) => e.message).join('\n');
    assert.doesNotMatch(all, /secret/);
  });

  it('reports block syntax errors: unknown field, missing =, open quote, unterminated block', () => {
    assert.deepEqual(messages('network={\n\tssid="x"\n\tbogus=1\n\tssid "x"\n\tpsk="abcdefgh\n\tssid ="x"\n'), [
      "wpas.conf:3: unknown network field 'bogus'",
      "wpas.conf:4: invalid line 'ssid \"x\"' in network block (expected name=value)",
      'wpas.conf:5: psk: missing closing quote',
      "wpas.conf:6: unknown network field 'ssid ' (no blanks are allowed around '=')",
      "wpas.conf:6: network block opened on line 1 is not terminated with '}'",
    ]);
  });

  it('warns about unimplemented and removed network fields, and about cred/blob blocks', () => {
    assert.deepEqual(warnings('network={\n\tssid="x"\n\teap=PEAP\n\tdh_file="/x"\n}\ncred={\n\trealm="example.com"\n}\nblob-base64-cert={\nQUJD\n}\n'), [
      'wpas.conf:3: eap: accepted but not implemented by onboard; it has no effect',
      'wpas.conf:4: dh_file: removed from the reference; the line is ignored',
      'wpas.conf:6: cred blocks are accepted but not implemented by onboard; the block is kept as written',
      'wpas.conf:9: blob-base64 blocks are accepted but not implemented by onboard; the block is kept as written',
    ]);
    assert.deepEqual(messages('cred={\n\trealm="x"\n'), ["wpas.conf:2: cred block opened on line 1 is not terminated with '}'"]);
  });
});

describe('wpa_supplicant.conf: writing back', () => {
  const samples: Record<string, string> = {
    capture: REAL_PBC_WPAS_AFTER,
    'comments, inline comments, odd spacing': '# wpa_supplicant for the extender\n\nctrl_interface=/run/wpas # socket dir\n   update_config=1\n\n# home\nnetwork={\n  ssid="home"   \n\t# a comment inside\n\n\tpsk="homepassword"\n\tkey_mgmt=WPA-PSK\n}\n\n# trailer\n',
    'no final newline': 'ap_scan=1\nnetwork={\nssid="x"\n}',
    'CRLF line endings': 'ap_scan=1\r\n\r\nnetwork={\r\n\tssid="x"\r\n}\r\n',
    'errors and unknown lines kept verbatim': 'junk line\nfoo=bar\nnetwork={\n\tnope\n\tssid="x"\n\tpsk="abc\n}\n}\nnetwork={\n\tssid="unterminated"\n',
    'cred and blob blocks': 'cred={\n\trealm="example.com"\n}\nblob-base64-x={\nQUJD\n}\n',
    empty: '',
    'only a newline': '\n',
  };
  for (const [name, text] of Object.entries(samples)) {
    it(`round-trips without changes: ${name}`, () => {
      assert.equal(parse(text).config.toString(), text);
    });
  }

  it('round-trips bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('network={\n\tssid="'), Buffer.from([0xe9, 0xff]), Buffer.from('"\n}\n')]);
    const { config } = parseWpaSupplicantConf(bytes);
    assert.equal(config.networks[0]?.ssid?.toString('hex'), 'e9ff');
    assert.ok(config.toBuffer().equals(bytes));
  });

  it('setGlobal rewrites in place, drops earlier duplicates, appends after the last global', () => {
    const { config } = parse('# top\nap_scan=1 # keep scanning\nupdate_config=0\nap_scan=2\n\nnetwork={\n\tssid="x"\n}\n');
    config.setGlobal('ap_scan', '0');
    config.setGlobal('device_name', 'Extender');
    config.setGlobal('update_config', null);
    assert.equal(config.toString(), '# top\nap_scan=0\ndevice_name=Extender\n\nnetwork={\n\tssid="x"\n}\n');
    assert.throws(() => config.setGlobal('uuid', 'not-a-uuid'), (e: unknown) => e instanceof ConfigError && e.message === 'wpas.conf:0: uuid: invalid UUID "not-a-uuid" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)');
    assert.throws(() => config.setGlobal('bogus', '1'), (e: unknown) => e instanceof ConfigError && e.code === 'config-unknown-option');
    const unchanged = parse('ap_scan=1 # comment\n').config;
    unchanged.setGlobal('ap_scan', '1');
    assert.equal(unchanged.toString(), 'ap_scan=1 # comment\n', 'an unchanged value keeps its line as written');
  });

  it('setGlobal on a file without globals inserts before the first block', () => {
    const { config } = parse('# only networks\n\nnetwork={\n\tssid="x"\n}\n');
    config.setGlobal('update_config', '1');
    assert.equal(config.toString(), '# only networks\nupdate_config=1\n\nnetwork={\n\tssid="x"\n}\n');
  });

  it('setNetworkField keeps positions, inserts new fields in reference order, removes fields', () => {
    const { config } = parse('network={\n\tssid="x" # mine\n\t# why: shared with the neighbours\n\tpsk="oldpassword"\n\tpriority=1\n}\n');
    config.setNetworkField(0, 'psk', '"newpassword"');
    config.setNetworkField(0, 'key_mgmt', 'WPA-PSK');
    config.setNetworkField(0, 'scan_ssid', '1');
    config.setNetworkField(0, 'multi_ap_backhaul_sta', '1');
    config.setNetworkField(0, 'priority', null);
    assert.equal(config.toString(), 'network={\n\tssid="x" # mine\n\tscan_ssid=1\n\t# why: shared with the neighbours\n\tpsk="newpassword"\n\tkey_mgmt=WPA-PSK\n\tmulti_ap_backhaul_sta=1\n}\n');
    assert.equal(config.networks[0]?.multiApBackhaulSta, true);
    assert.throws(() => config.setNetworkField(0, 'psk', '"short"'), (e: unknown) => e instanceof ConfigError && e.message === 'wpas.conf:1: psk: invalid passphrase length 5 (expected 8..63)');
    assert.throws(() => config.setNetworkField(0, 'nonsense', '1'), (e: unknown) => e instanceof ConfigError && e.code === 'config-unknown-option');
    assert.throws(() => config.setNetworkField(3, 'ssid', '"x"'), RangeError);
  });

  it('addNetwork and removeNetwork keep the surrounding text', () => {
    const text = '# head\nap_scan=1\n\nnetwork={\n\tssid="a"\n\tkey_mgmt=NONE\n}\n\n# middle comment\nnetwork={\n\tssid="b"\n\tkey_mgmt=NONE\n}\n';
    const { config } = parse(text);
    config.removeNetwork(0);
    assert.equal(config.toString(), '# head\nap_scan=1\n\n# middle comment\nnetwork={\n\tssid="b"\n\tkey_mgmt=NONE\n}\n');
    assert.equal(config.addNetwork([{ name: 'ssid', value: '"c"' }, { name: 'key_mgmt', value: 'NONE' }]), 1);
    assert.equal(config.toString(), '# head\nap_scan=1\n\n# middle comment\nnetwork={\n\tssid="b"\n\tkey_mgmt=NONE\n}\n\nnetwork={\n\tssid="c"\n\tkey_mgmt=NONE\n}\n');
    assert.throws(() => config.addNetwork([{ name: 'ssid', value: 'xyz' }]), ConfigError);
    const noNewline = parse('ap_scan=1').config;
    noNewline.addNetwork([{ name: 'ssid', value: '"n"' }]);
    assert.equal(noNewline.toString(), 'ap_scan=1\n\nnetwork={\n\tssid="n"\n}\n');
  });
});

describe('wpa_supplicant.conf: the reference writer', () => {
  it('writes the capture file back byte for byte, but for the default mesh_fwding=1 that 2.10 wrote by mistake', () => {
    assert.equal(parse(REAL_PBC_WPAS_AFTER).config.toReferenceFormat().toString(), withoutDefaultMeshFwding(REAL_PBC_WPAS_AFTER));
  });

  it('mesh_fwding is written only when not the default 1 (INT_DEF(mesh_fwding, DEFAULT_MESH_FWDING) since hostap b375b7630)', () => {
    const written = (value: string) => parse(`network={\n\tssid="m"\n\tkey_mgmt=NONE\n${value}}\n`).config.toReferenceFormat().toString();
    assert.equal(written(''), '\nnetwork={\n\tssid="m"\n\tkey_mgmt=NONE\n}\n');
    assert.equal(written('\tmesh_fwding=1\n'), '\nnetwork={\n\tssid="m"\n\tkey_mgmt=NONE\n}\n');
    assert.equal(written('\tmesh_fwding=0\n'), '\nnetwork={\n\tssid="m"\n\tkey_mgmt=NONE\n\tmesh_fwding=0\n}\n');
  });

  it('reorders globals, drops defaults, comments and unimplemented-as-given, normalises values', () => {
    const { config } = parse(
      '# comment\nuuid=87654321-9ABC-DEF0-1234-56789ABCDEF0\nap_scan=1\ncountry=DE\nctrl_interface=/run/w\ndevice_type=1-0050f204-1\nos_version=0102030A\n\nnetwork={\n\tssid=666f6f\n\tkey_mgmt=NONE\n\tpriority=0\n\tproto=RSN WPA\n}\n\nnetwork={\n\tssid="wps"\n\tkey_mgmt=WPS\n}\n\nnetwork={\n\tssid="nokey"\n\tkey_mgmt=WPA-PSK\n}\n',
    );
    assert.equal(
      config.toReferenceFormat().toString(),
      'ctrl_interface=/run/w\nuuid=87654321-9abc-def0-1234-56789abcdef0\ndevice_type=1-0050F204-1\nos_version=0102030a\ncountry=DE\n\nnetwork={\n\tssid="foo"\n\tkey_mgmt=NONE\n}\n',
    );
    assert.equal(parse('network={\n\tssid="foo"\n\tkey_mgmt=NONE\n\tmesh_fwding=0\n}\n').config.toReferenceFormat({ meshBuild: false }).toString().includes('mesh_fwding'), false);
  });

  it('writes SSIDs with non-printable bytes as hex and raw PSKs as 64 lowercase hex', () => {
    const hex = 'AA'.repeat(32);
    const { config } = parse(`network={\n\tssid=P"caf\\xe9"\n\tpsk=${hex}\n}\n`);
    assert.equal(config.toReferenceFormat().toString(), `\nnetwork={\n\tssid=636166e9\n\tpsk=${'aa'.repeat(32)}\n}\n`);
  });
});
