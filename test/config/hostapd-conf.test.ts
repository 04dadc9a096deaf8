import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, ConfigFileError, applyApSettings, parseHostapdConf, parseHostapdConfOrThrow } from '../../src/config/index.js';
import { AuthType, EncrType } from '../../src/wsc/index.js';
import { CAPTURE_FILES, REAL_PBC_HOSTAPD_CONF } from './capture-fixtures.js';

function parse(text: string) {
  return parseHostapdConf(text, { file: 'hostapd.conf' });
}

function messages(text: string): string[] {
  return parse(text).errors.map((e) => e.message);
}

function warnings(text: string): string[] {
  return parse(text).warnings.map((w) => w.message);
}

const PSK = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

describe('hostapd.conf: options', () => {
  for (const capture of CAPTURE_FILES) {
    it(`parses ${capture.dir}/hostapd.conf without errors or warnings`, () => {
      const { config, errors, warnings: warns } = parse(capture.hostapdConf);
      assert.deepEqual(errors, []);
      assert.deepEqual(warns, []);
      assert.equal(config.bss.length, 1);
      const bss = config.bss[0];
      assert.equal(bss?.ssid?.toString(), 'fronthaul');
      assert.equal(bss?.multiApConfig.role, 3);
      assert.equal(bss?.multiApConfig.backhaulSsid?.toString(), 'backhaul');
      assert.equal(bss?.multiApConfig.backhaulPassphrase, 'backhaulpass123');
      assert.equal(bss?.wps.state, 2);
      assert.equal(bss?.fragmentSize, capture.dir === 'real-pbc-frag100' ? 100 : undefined);
    });
  }

  it('driver=sim: WPA (version 1), TKIP and key management other than WPA-PSK are reported as not going on the air (wpa=3 with TKIP used to pass silently)', () => {
    const conf = 'interface=wlan0\ndriver=sim\nssid=x\nwpa=3\nwpa_passphrase=12345678\nwpa_pairwise=TKIP\nwpa_key_mgmt=WPA-PSK SAE\n';
    const warned = parse(conf).warnings.filter((w) => w.code === 'config-not-implemented').map((w) => w.message);
    assert.deepEqual(warned, [
      "hostapd.conf:4: wpa: wpa=3 asks for WPA (version 1), which is not implemented by onboard's radio; the BSS goes on the air as WPA2-PSK with CCMP only",
      "hostapd.conf:6: wpa_pairwise: pairwise cipher TKIP is not implemented by onboard's radio; the BSS goes on the air as WPA2-PSK with CCMP only",
      "hostapd.conf:7: wpa_key_mgmt: key management SAE is not implemented by onboard's radio; the BSS goes on the air as WPA2-PSK with CCMP only",
    ]);
    assert.deepEqual(parse(conf.replace('driver=sim', 'driver=wired')).warnings.filter((w) => w.code === 'config-not-implemented'), [], 'wired: WPA only shapes the WPS credential');
  });

  it('parses every option the AP daemon uses (hostapd/config_file.c hostapd_config_fill)', () => {
    const { config, errors, warnings: warns } = parse(
      [
        'interface=wlan0',
        'driver=nl80211',
        'ctrl_interface=/var/run/hostapd',
        'ctrl_interface_group=0',
        'hw_mode=g',
        'channel=6',
        'logger_syslog=-1',
        'logger_syslog_level=2',
        'logger_stdout=1',
        'logger_stdout_level=0',
        'ssid2="front haul"',
        'wpa=3',
        'wpa_key_mgmt=WPA-PSK WPA-PSK-SHA256',
        `wpa_psk=${PSK}`,
        'wpa_pairwise=TKIP CCMP',
        'rsn_pairwise=CCMP',
        'ieee8021x=0',
        'eap_server=1',
        'eap_user_file=/etc/hostapd/wps.eap_user',
        'eapol_version=1',
        'use_pae_group_addr=1',
        'fragment_size=1400',
        'max_num_sta=255',
        'wps_state=2',
        'wps_independent=1',
        'ap_setup_locked=2',
        'ap_pin=12345670',
        'uuid=12345678-9abc-def0-1234-56789abcdef0',
        'wps_pin_requests=/var/run/hostapd.pin-req',
        'device_name=Gateway',
        'manufacturer=Onboard',
        'model_name=GW',
        'model_number=1',
        'serial_number=42',
        'device_type=6-0050F204-1',
        'os_version=01020300',
        'config_methods=label virtual_display virtual_push_button keypad',
        'pbc_in_m1=1',
        'wps_rf_bands=ag',
        'skip_cred_build=1',
        'extra_cred=/etc/hostapd/extra.cred',
        'wps_cred_processing=1',
        'wps_cred_add_sae=1',
        'ap_settings=/etc/hostapd/ap.settings',
        'multi_ap=2',
        'multi_ap_backhaul_ssid=6261636b',
        `multi_ap_backhaul_wpa_psk=${PSK}`,
        'multi_ap_profile=1',
        'multi_ap_client_disallow=1',
        'multi_ap_vlanid=10',
        '',
      ].join('\n'),
    );
    assert.deepEqual(errors, []);
    // Parsed but not acted on: each one is reported at start, never silently taken. The 2.11
    // Multi-AP options act (profile and disallow bits in the element and at association); the VLAN
    // ID of a fronthaul-only BSS is never announced, which is said.
    const notActedOn = warns.filter((w) => w.code === 'config-not-implemented');
    assert.ok(notActedOn.every((w) => /accepted but not implemented by onboard; it has no effect/.test(w.message)), warns.join('\n'));
    assert.deepEqual(notActedOn.map((w) => w.option), [
      'logger_syslog', 'logger_syslog_level', 'logger_stdout', 'logger_stdout_level', 'eap_user_file', 'ap_setup_locked', 'ap_pin',
      'wps_pin_requests', 'pbc_in_m1', 'extra_cred', 'ap_settings',
    ]);
    assert.deepEqual(warns.filter((w) => w.code !== 'config-not-implemented').map((w) => [w.code, w.option]), [['config-suspicious', 'multi_ap_vlanid']]);
    assert.deepEqual(config.radio, { hwMode: 'g', acs: false, ieee80211d: false, ieee80211h: false, driver: 'nl80211', channel: 6 });
    const b = config.bss[0];
    assert.ok(b);
    assert.equal(b.iface, 'wlan0');
    assert.equal(b.ctrlInterface, '/var/run/hostapd');
    assert.equal(b.ctrlInterfaceGroup, '0');
    assert.deepEqual(b.logger, { syslog: -1, syslogLevel: 2, stdout: 1, stdoutLevel: 0 });
    assert.equal(b.ssid?.toString(), 'front haul');
    assert.equal(b.wpa, 3);
    assert.deepEqual(b.wpaKeyMgmt, ['WPA-PSK', 'WPA-PSK-SHA256']);
    assert.equal(b.wpaPsk?.toString('hex'), PSK);
    assert.equal(b.wpaPassphrase, undefined);
    assert.deepEqual(b.wpaPairwise, ['CCMP', 'TKIP']);
    assert.deepEqual(b.rsnPairwise, ['CCMP']);
    assert.equal(b.security, 'wpa-psk');
    assert.equal(b.ieee8021x, false);
    assert.equal(b.eapServer, true);
    assert.equal(b.eapUserFile, '/etc/hostapd/wps.eap_user');
    assert.equal(b.eapolVersion, 1);
    assert.equal(b.usePaeGroupAddr, true);
    assert.equal(b.fragmentSize, 1400);
    assert.equal(b.maxNumSta, 255);
    assert.deepEqual(b.wps, {
      state: 2,
      configuredState: 2,
      independent: true,
      apSetupLocked: 2,
      apPin: '12345670',
      uuid: Buffer.from('123456789abcdef0123456789abcdef0', 'hex'),
      pinRequests: '/var/run/hostapd.pin-req',
      deviceName: 'Gateway',
      manufacturer: 'Onboard',
      modelName: 'GW',
      modelNumber: '1',
      serialNumber: '42',
      deviceType: Buffer.from('00060050f2040001', 'hex'),
      osVersion: 0x01020300,
      configMethods: 'label virtual_display virtual_push_button keypad',
      pbcInM1: true,
      rfBands: 0x03,
      skipCredBuild: true,
      extraCred: '/etc/hostapd/extra.cred',
      credProcessing: 1,
      credAddSae: true,
      apSettings: '/etc/hostapd/ap.settings',
    });
    assert.deepEqual(b.multiApConfig, { role: 2, backhaulSsid: Buffer.from('back'), backhaulPsk: Buffer.from(PSK, 'hex'), profile: 1, clientDisallow: 1, vlanId: 10 });
  });

  it('applies the reference defaults', () => {
    const b = parse('ssid=x\n').config.bss[0];
    assert.deepEqual(
      { wpa: b?.wpa, wpaKeyMgmt: b?.wpaKeyMgmt, wpaPairwise: b?.wpaPairwise, rsnPairwise: b?.rsnPairwise, eapolVersion: b?.eapolVersion, security: b?.security, wpsState: b?.wps.state, multiApConfig: b?.multiApConfig, authAlgs: b?.authAlgs, maxNumSta: b?.maxNumSta },
      { wpa: 0, wpaKeyMgmt: ['WPA-PSK'], wpaPairwise: ['TKIP'], rsnPairwise: [], eapolVersion: 2, security: 'plaintext', wpsState: 0, multiApConfig: { role: 0, profile: 2, clientDisallow: 0, vlanId: 0 }, authAlgs: 1, maxNumSta: 2007 },
    );
    assert.deepEqual(parse(`wpa=2\nwpa_passphrase=12345678\nwpa_pairwise=CCMP\n`).config.bss[0]?.rsnPairwise, ['CCMP'], 'rsn_pairwise defaults to wpa_pairwise');
  });

  it('splits bss= sections; interface= always names the first BSS', () => {
    const { config, errors } = parse(
      ['ssid=front', 'wps_state=2', 'bss=wlan0_1', 'ssid=back', 'multi_ap=1', 'wpa=2', 'wpa_passphrase=backhaulpass', 'rsn_pairwise=CCMP', 'interface=wlan0', 'bss=wlan0_2', 'ssid=guest', ''].join('\n'),
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(config.bss.map((b) => [b.iface, b.line, b.ssid?.toString(), b.multiApConfig.role, b.wps.state]), [
      ['wlan0', 0, 'front', 0, 2],
      ['wlan0_1', 3, 'back', 1, 0],
      ['wlan0_2', 10, 'guest', 0, 0],
    ]);
  });

  it('the last of wpa_passphrase / wpa_psk wins, likewise for the backhaul key', () => {
    const b = parse(`wpa_psk=${PSK}\nwpa_passphrase=12345678\nmulti_ap_backhaul_wpa_passphrase=abcdefgh\nmulti_ap_backhaul_wpa_psk=${PSK}\n`).config.bss[0];
    assert.equal(b?.wpaPassphrase, '12345678');
    assert.equal(b?.wpaPsk, undefined);
    assert.equal(b?.multiApConfig.backhaulPassphrase, undefined);
    assert.equal(b?.multiApConfig.backhaulPsk?.toString('hex'), PSK);
  });

  it('reports every invalid value at its line', () => {
    const text = [
      'driver=madwifi',
      'ssid=',
      'ssid=' + 'x'.repeat(33),
      'ssid2=abc',
      'ssid2=""',
      'wpa=4',
      'wpa=two',
      'wpa_key_mgmt=WPA-PSK WPA3',
      'wpa_key_mgmt=',
      'wpa_passphrase=1234567',
      'wpa_passphrase=' + 'p'.repeat(64),
      'wpa_psk=' + PSK.slice(1),
      'wpa_psk=' + PSK + '00',
      'rsn_pairwise=CCMP NONE',
      'wpa_pairwise=FOO',
      'wps_state=3',
      'eapol_version=3',
      'uuid=12345678-9abc-def0-1234-56789abcdef',
      'device_name=' + 'd'.repeat(33),
      'manufacturer=' + 'm'.repeat(65),
      'model_name=' + 'm'.repeat(33),
      'model_number=' + 'm'.repeat(33),
      'serial_number=' + 's'.repeat(33),
      'device_type=6-0050F204',
      'os_version=1020300',
      'wps_rf_bands=n',
      'hw_mode=n',
      'channel=auto',
      'multi_ap=4',
      'multi_ap_backhaul_ssid=' + '61'.repeat(33),
      'multi_ap_backhaul_wpa_passphrase=short',
      'multi_ap_backhaul_wpa_psk=xyz',
      'multi_ap_profile=7',
      'multi_ap_client_disallow=4',
      'multi_ap_vlanid=4095',
      'auth_algs=0',
      'country_code=de',
      'bss=',
      'max_num_sta=2008',
      '',
    ].join('\n');
    assert.deepEqual(messages(text), [
      "hostapd.conf:1: driver: invalid/unknown driver 'madwifi'",
      'hostapd.conf:2: ssid: invalid SSID length 0 (expected 1..32 bytes)',
      'hostapd.conf:3: ssid: invalid SSID length 33 (expected 1..32 bytes)',
      'hostapd.conf:4: ssid2: invalid SSID (expected "text", P"text" or hex of 1..32 bytes)',
      'hostapd.conf:5: ssid2: invalid SSID (expected "text", P"text" or hex of 1..32 bytes)',
      'hostapd.conf:6: wpa: 4 is out of range (0..3)',
      "hostapd.conf:7: wpa: invalid number 'two'",
      "hostapd.conf:8: wpa_key_mgmt: invalid key_mgmt 'WPA3'",
      'hostapd.conf:9: wpa_key_mgmt: no key_mgmt values configured',
      'hostapd.conf:10: wpa_passphrase: invalid WPA passphrase length 7 (expected 8..63)',
      'hostapd.conf:11: wpa_passphrase: invalid WPA passphrase length 64 (expected 8..63)',
      'hostapd.conf:12: wpa_psk: invalid PSK (expected exactly 64 hex digits)',
      'hostapd.conf:13: wpa_psk: invalid PSK (expected exactly 64 hex digits)',
      'hostapd.conf:14: rsn_pairwise: unsupported pairwise cipher suite NONE',
      "hostapd.conf:15: wpa_pairwise: invalid cipher 'FOO'",
      'hostapd.conf:16: wps_state: 3 is out of range (0..2)',
      'hostapd.conf:17: eapol_version: 3 is out of range (1..2)',
      "hostapd.conf:18: uuid: invalid UUID '12345678-9abc-def0-1234-56789abcdef' (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
      'hostapd.conf:19: device_name: too long (33 bytes, at most 32)',
      'hostapd.conf:20: manufacturer: too long (65 bytes, at most 64)',
      'hostapd.conf:21: model_name: too long (33 bytes, at most 32)',
      'hostapd.conf:22: model_number: too long (33 bytes, at most 32)',
      'hostapd.conf:23: serial_number: too long (33 bytes, at most 32)',
      "hostapd.conf:24: device_type: invalid device type '6-0050F204' (expected <category>-<8 hex digits>-<subcategory>, e.g. 6-0050F204-1)",
      "hostapd.conf:25: os_version: invalid os_version '1020300' (expected exactly 8 hex digits)",
      "hostapd.conf:26: wps_rf_bands: unknown wps_rf_band 'n' (a, b, g, ag or ad)",
      "hostapd.conf:27: hw_mode: unknown hw_mode 'n'",
      "hostapd.conf:28: channel: invalid number 'auto'",
      'hostapd.conf:29: multi_ap: 4 is out of range (0..3)',
      'hostapd.conf:30: multi_ap_backhaul_ssid: invalid SSID (expected "text", P"text" or hex of 1..32 bytes)',
      'hostapd.conf:31: multi_ap_backhaul_wpa_passphrase: invalid WPA passphrase length 5 (expected 8..63)',
      'hostapd.conf:32: multi_ap_backhaul_wpa_psk: invalid PSK (expected exactly 64 hex digits)',
      'hostapd.conf:33: multi_ap_profile: 7 is out of range (1..6)',
      'hostapd.conf:34: multi_ap_client_disallow: 4 is out of range (0..3)',
      'hostapd.conf:35: multi_ap_vlanid: 4095 is out of range (0..4094)',
      'hostapd.conf:36: auth_algs: no authentication algorithms allowed',
      "hostapd.conf:37: country_code: invalid country_code 'de' (two uppercase letters)",
      'hostapd.conf:38: bss: invalid bss item (empty interface name)',
      'hostapd.conf:39: max_num_sta: 2008 is out of range (0..2007)',
    ]);
  });

  it('reports syntax the reference refuses: unknown items, indented comments, blank-only lines', () => {
    assert.deepEqual(messages('# ok\nfoo=1\n  # indented\n   \nssid =x\nnot an option\n\r\n'), [
      "hostapd.conf:2: unknown configuration item 'foo'",
      "hostapd.conf:3: invalid line '  # indented' (comments must start in the first column)",
      "hostapd.conf:4: invalid line '   ' (a line of blanks; hostapd accepts only truly empty lines)",
      "hostapd.conf:5: unknown configuration item 'ssid ' (no blanks are allowed around '=')",
      "hostapd.conf:6: invalid line 'not an option' (expected name=value)",
      "hostapd.conf:7: invalid line '\\x0d' (a line of blanks; hostapd accepts only truly empty lines — CRLF line endings?)",
    ]);
    const e = parse('foo=1\n').errors[0];
    assert.ok(e instanceof ConfigError);
    assert.deepEqual([e.code, e.line, e.option], ['config-unknown-option', 1, 'foo']);
  });

  it('checks the BSS as a whole like the reference', () => {
    assert.deepEqual(messages('ssid=x\nieee8021x=1\nwpa=2\nwpa_key_mgmt=WPA-PSK\nrsn_pairwise=CCMP\n'), [
      'hostapd.conf:2: ieee8021x=1 without an EAP authenticator: set eap_server=1 (or a RADIUS auth_server_addr)',
      'hostapd.conf:4: WPA-PSK is enabled, but no wpa_passphrase, wpa_psk or wpa_psk_file is configured',
    ]);
    assert.deepEqual(messages('ssid=x\nwpa=2\nwpa_psk_file=/etc/psk\nrsn_pairwise=CCMP\n'), []);
    assert.deepEqual(messages('ssid=x\nmulti_ap=3\nmulti_ap_backhaul_ssid="bh"\n'), [
      'hostapd.conf:3: multi_ap_backhaul_ssid needs multi_ap_backhaul_wpa_passphrase or multi_ap_backhaul_wpa_psk',
    ]);
    assert.deepEqual(messages('ieee80211d=1\nieee80211h=1\n'), ['hostapd.conf:1: ieee80211d=1 needs country_code']);
    assert.deepEqual(messages('ieee80211h=1\n'), ['hostapd.conf:1: ieee80211h=1 needs ieee80211d=1']);
  });

  it('warns when the configuration forces WPS off or Multi-AP options have no effect', () => {
    assert.deepEqual(warnings('ssid=x\nwps_state=2\nignore_broadcast_ssid=1\n'), ['hostapd.conf:2: WPS is disabled because ignore_broadcast_ssid is set (reference behaviour)']);
    assert.equal(parse('ssid=x\nwps_state=2\nignore_broadcast_ssid=1\n').config.bss[0]?.wps.state, 0);
    // The reason, and the line hostapd 2.10 logs for it (ap_config.c hostapd_config_check_bss).
    const reference = '. hostapd 2.10 does the same: "WPS: WPA/TKIP configuration without WPA2/CCMP/GCMP forced WPS to be disabled"';
    assert.deepEqual(warnings('ssid=x\nwps_state=2\nwpa=1\nwpa_passphrase=12345678\n'), [`hostapd.conf:2: WPS is OFF for ssid x: wpa=1 does not enable WPA2; use wpa=2${reference}`]);
    assert.deepEqual(warnings('ssid=x\nwps_state=2\nwpa=2\nwpa_passphrase=12345678\nwpa_pairwise=TKIP\n'), [
      `hostapd.conf:2: WPS is OFF for ssid x: rsn_pairwise is not set, so it follows wpa_pairwise (TKIP); add rsn_pairwise=CCMP${reference}`,
    ]);
    assert.deepEqual(warnings('ssid=x\nwps_state=2\nwpa=2\nwpa_passphrase=12345678\n'), [
      `hostapd.conf:2: WPS is OFF for ssid x: rsn_pairwise is not set, so it follows wpa_pairwise (TKIP, the default); add rsn_pairwise=CCMP${reference}`,
    ]);
    assert.deepEqual(warnings('ssid=x\nwps_state=2\nwpa=2\nwpa_passphrase=12345678\nrsn_pairwise=TKIP\n'), [
      `hostapd.conf:2: WPS is OFF for ssid x: rsn_pairwise=TKIP has no CCMP or GCMP; use rsn_pairwise=CCMP${reference}`,
    ]);
    assert.equal(parse('ssid=x\nwps_state=2\nwpa=2\nwpa_passphrase=12345678\n').config.bss[0]?.wps.state, 0);
    assert.deepEqual(warnings('ssid=x\nwps_state=2\nwpa=2\nwpa_passphrase=12345678\nrsn_pairwise=CCMP\n'), []);
    assert.deepEqual(warnings('ssid=x\nmulti_ap=1\nmulti_ap_backhaul_ssid="bh"\nmulti_ap_backhaul_wpa_passphrase=12345678\nwps_state=2\n'), [
      'hostapd.conf:3: multi_ap_backhaul_* options are only used on a fronthaul BSS (multi_ap=2 or 3); they have no effect here',
      'hostapd.conf:5: WPS is enabled on a backhaul-only BSS (multi_ap=1); WPS belongs on the fronthaul BSS',
    ]);
    assert.deepEqual(warnings('wpa_passphrase=caf\u00e9 pass\n'), [
      "hostapd.conf:1: wpa_passphrase: characters outside printable ASCII; hostapd accepts them, onboard's Registrar refuses such a passphrase",
    ]);
    assert.deepEqual(warnings('ssid="quoted"\nssid=trailing \n'), [
      'hostapd.conf:1: ssid: the quotes are part of the SSID (use ssid2= for the quoted form)',
      'hostapd.conf:2: ssid: the value ends with blanks, which are part of the SSID',
    ]);
  });

  it('warns about options it parses but does not implement, naming them', () => {
    assert.deepEqual(warnings('ssid=x\ncountry3=0x20\nbeacon_int=100\nwmm_ac_be_aifs=3\neap_authenticator=1\n'), [
      'hostapd.conf:2: country3: accepted but not implemented by onboard; it has no effect',
      'hostapd.conf:3: beacon_int: accepted but not implemented by onboard; it has no effect',
      'hostapd.conf:4: wmm_ac_be_aifs: accepted but not implemented by onboard; it has no effect',
      'hostapd.conf:5: eap_authenticator: obsolete name of eap_server',
    ]);
    assert.equal(parse('beacon_int=100\n').config.bss[0]?.unimplemented.get('beacon_int'), '100');
  });

  it('the OrThrow variant throws a ConfigFileError', () => {
    assert.throws(() => parseHostapdConfOrThrow('wps_state=9\n'), (e: unknown) => e instanceof ConfigFileError && e.errors[0]?.message === 'hostapd.conf:1: wps_state: 9 is out of range (0..2)');
    assert.equal(parseHostapdConfOrThrow(REAL_PBC_HOSTAPD_CONF).config.bss.length, 1);
  });
});

describe('hostapd.conf: writing back', () => {
  const samples: Record<string, string> = {
    capture: REAL_PBC_HOSTAPD_CONF,
    'comments, bss sections, no final newline': '# AP\ninterface=wlan0\n\nssid=a\n#bss=disabled\nbss=wlan0_1\nssid=b',
    'errors kept verbatim': 'junk\n  # x\nfoo=bar\n\r\nssid=\n',
    empty: '',
  };
  for (const [name, text] of Object.entries(samples)) {
    it(`round-trips without changes: ${name}`, () => {
      assert.equal(parse(text).conf.toString(), text);
    });
  }

  it('setOption edits one BSS in place or appends to its section', () => {
    const { conf } = parse('# AP\ninterface=wlan0\nssid=a # not a comment in hostapd\nwps_state=2\nbss=wlan0_1\nssid=b\n');
    conf.setOption(0, 'ssid', 'front');
    conf.setOption(0, 'multi_ap', '3');
    conf.setOption(1, 'multi_ap', '1');
    conf.setOption(0, 'wps_state', null);
    assert.equal(conf.toString(), '# AP\ninterface=wlan0\nssid=front\nmulti_ap=3\nbss=wlan0_1\nssid=b\nmulti_ap=1\n');
    assert.equal(conf.config.bss[1]?.multiApConfig.role, 1);
    assert.throws(() => conf.setOption(0, 'multi_ap', '5'), (e: unknown) => e instanceof ConfigError && e.message === 'hostapd.conf:0: multi_ap: 5 is out of range (0..3)');
    assert.throws(() => conf.setOption(0, 'nope', '5'), (e: unknown) => e instanceof ConfigError && e.code === 'config-unknown-option');
    assert.throws(() => conf.setOption(7, 'ssid', 'x'), RangeError);
    const commentsOnly = parse('# nothing yet\n').conf;
    commentsOnly.setOption(0, 'ssid', 'x');
    assert.equal(commentsOnly.toString(), '# nothing yet\nssid=x\n');
    const sectionsOnly = parse('# head\nbss=wlan0_1\nssid=b').conf;
    sectionsOnly.setOption(0, 'ssid', 'a');
    assert.equal(sectionsOnly.toString(), '# head\nssid=a\nbss=wlan0_1\nssid=b');
  });

  it('AP self-configuration rewrites the file like hostapd (WPS block first, replaced lines commented out)', () => {
    const original = '# unconfigured AP\ninterface=wlan0\nssid=setup\nwps_state=1\nwpa=2\nwpa_passphrase=initialpass\n# keep me\neap_server=1\nbss=wlan0_1\nssid=other\nwpa=2\nwpa_passphrase=otherpassword\n';
    const cred = { networkIndex: 1, ssid: Buffer.from('home'), authType: AuthType.Wpa2Psk, encrType: EncrType.Aes, networkKey: Buffer.from('newpassphrase'), macAddress: Buffer.alloc(6) };
    assert.equal(
      applyApSettings(original, cred).toString(),
      '# WPS configuration - START\nwps_state=2\nssid=home\nwpa=2\nwpa_key_mgmt=WPA-PSK\nwpa_pairwise=CCMP\nwpa_passphrase=newpassphrase\nauth_algs=1\n# WPS configuration - END\n'
        + '# unconfigured AP\ninterface=wlan0\n#WPS# ssid=setup\n#WPS# wps_state=1\n#WPS# wpa=2\n#WPS# wpa_passphrase=initialpass\n# keep me\neap_server=1\nbss=wlan0_1\nssid=other\nwpa=2\nwpa_passphrase=otherpassword\n',
    );
    const sae = applyApSettings('ieee80211w=0\n', { ...cred, ssid: Buffer.from([0x01, 0x41]), authType: AuthType.Wpa2Psk | AuthType.WpaPsk, encrType: EncrType.Aes | EncrType.Tkip }, { credAddSae: true }).toString();
    assert.equal(sae, '# WPS configuration - START\nwps_state=2\nssid2=0141\nwpa=3\nwpa_key_mgmt=WPA-PSK SAE\nieee80211w=1\nsae_require_mfp=1\nwpa_pairwise=CCMP TKIP\nwpa_passphrase=newpassphrase\nauth_algs=1\n# WPS configuration - END\n#WPS# ieee80211w=0\n');
    const open = applyApSettings('', { ...cred, authType: AuthType.Open, encrType: EncrType.None, networkKey: Buffer.alloc(0) }).toString();
    assert.equal(open, '# WPS configuration - START\nwps_state=2\nssid=home\nauth_algs=1\n# WPS configuration - END\n');
    // hostapd writes the key byte by byte; a key that would add lines to the file is refused instead.
    const injected = { ...cred, networkKey: Buffer.from('password1\nctrl_interface_group=0') };
    assert.throws(() => applyApSettings(original, injected), (e: unknown) => e instanceof ConfigError && e.code === 'config-invalid-value');
    assert.throws(() => applyApSettings(original, { ...cred, networkKey: Buffer.from(`${'0'.repeat(62)}\nx`) }), ConfigError);
    // The result parses cleanly with the new settings in force for the first BSS.
    const reparsed = parse(applyApSettings(original, cred).toString());
    assert.deepEqual(reparsed.errors, []);
    assert.equal(reparsed.config.bss[0]?.ssid?.toString(), 'home');
    assert.equal(reparsed.config.bss[0]?.wps.state, 2);
  });
});
