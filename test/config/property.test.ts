/**
 * Property tests over random "line soup" built from configuration-like fragments and random
 * bytes: the parsers never throw, report only typed diagnostics with a FILE:LINE inside the file,
 * give back the input byte for byte, and the reference writer's output is itself a clean file
 * that it reproduces. Seeds are fixed so a failure can be replayed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConfigError, ConfigWarning, GLOBAL_WRITE_ORDER, NETWORK_WRITE_ORDER, parseHostapdConf, parseWpaSupplicantConf,
} from '../../src/config/index.js';
import { seededRandom } from '../../src/util/prng.js';

const FRAGMENTS = [
  'network={', '}', 'cred={', 'blob-base64-b={', '=', '"', 'P"', '#', ' ', '\t', '\r', '\\', '\\x4', '{', 'NULL', 'any',
  'ssid=', 'psk=', 'key_mgmt=', 'WPA-PSK', 'SAE', 'NONE', 'WPS', 'proto=', 'RSN', 'pairwise=', 'CCMP', 'TKIP', 'GCMP', 'auth_alg=',
  'OPEN', 'priority=', 'disabled=', 'multi_ap_backhaul_sta=', 'multi_ap_profile=', 'ap_scan=', 'uuid=', 'device_type=',
  'os_version=', 'config_methods=', 'label display', 'push_button', 'ctrl_interface=', 'DIR=/run/x GROUP=netdev',
  'wps_vendor_ext_m1=', 'bss=', 'interface=', 'wpa=', 'wpa_passphrase=', 'wpa_psk=', 'rsn_pairwise=', 'wps_state=', 'multi_ap=',
  'multi_ap_backhaul_ssid=', 'multi_ap_backhaul_wpa_passphrase=', 'ieee8021x=', 'eap_server=', 'hw_mode=', 'channel=',
  '0', '1', '2', '3', '-1', '0x10', '08', '65535', '12345678-9abc-def0-1234-56789abcdef0', '1-0050F204-1', '01020300',
  '"fronthaul"', '"fronthaulpass"', '666f6f', '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
  'caf\u00e9', '\u2603',
];

function soup(rand: () => number): Buffer {
  const lines: Buffer[] = [];
  const count = Math.floor(rand() * 30);
  const names = [...GLOBAL_WRITE_ORDER, ...NETWORK_WRITE_ORDER];
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(rand() * list.length)];
  for (let l = 0; l < count; l++) {
    const shape = rand();
    // Well-formed lines often enough that blocks and valid values occur, not just noise.
    if (shape < 0.08) {
      const fields = Array.from({ length: Math.floor(rand() * 5) }, () => `\t${pick(NETWORK_WRITE_ORDER) ?? ''}=${pick(FRAGMENTS) ?? ''}`);
      lines.push(Buffer.from(['network={', '\tssid="net"', '\tkey_mgmt=NONE', ...fields, '}'].join('\n')));
      continue;
    }
    if (shape < 0.15) {
      lines.push(Buffer.from(pick(['network={', '}', '\tnetwork={', '}  # end', 'bss=wlan0_1']) ?? ''));
      continue;
    }
    if (shape < 0.45) {
      lines.push(Buffer.from(`${rand() < 0.5 ? '\t' : ''}${pick(names) ?? ''}=${pick(FRAGMENTS) ?? ''}`));
      continue;
    }
    const parts: Buffer[] = [];
    const pieces = Math.floor(rand() * 6);
    for (let p = 0; p < pieces; p++) {
      const pick = rand();
      if (pick < 0.6) parts.push(Buffer.from(FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)] ?? ''));
      else if (pick < 0.8) parts.push(Buffer.from(`${names[Math.floor(rand() * names.length)] ?? ''}=`));
      else parts.push(Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 4) }, () => Math.floor(rand() * 256))));
    }
    lines.push(Buffer.concat(parts));
  }
  const body = Buffer.concat(lines.flatMap((b, i) => (i === 0 ? [b] : [Buffer.from('\n'), b])));
  return rand() < 0.7 && count > 0 ? Buffer.concat([body, Buffer.from('\n')]) : body;
}

function lineCount(input: Buffer): number {
  const text = input.toString('latin1');
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

function checkDiagnostics(errors: readonly unknown[], warnings: readonly unknown[], file: string, lines: number): void {
  for (const e of errors) {
    assert.ok(e instanceof ConfigError, `not a ConfigError: ${String(e)}`);
    assert.ok(e.line >= 0 && e.line <= lines, `line ${e.line} outside 0..${lines}`);
    assert.ok(e.message.startsWith(`${file}:${e.line}: `), e.message);
    assert.ok(!e.message.includes('\n'), 'one line per message');
  }
  for (const w of warnings) {
    assert.ok(w instanceof ConfigWarning);
    assert.ok(w.line >= 0 && w.line <= lines);
    assert.ok(w.message.startsWith(`${file}:${w.line}: `), w.message);
  }
}

const ROUNDS = 400;

describe('property: random line soup', () => {
  it('wpa_supplicant.conf: typed diagnostics only, exact round trip, stable reference format', () => {
    for (let seed = 1; seed <= ROUNDS; seed++) {
      const input = soup(seededRandom(seed));
      try {
        const { config, errors, warnings } = parseWpaSupplicantConf(input, { file: 'soup.conf' });
        checkDiagnostics(errors, warnings, 'soup.conf', lineCount(input));
        assert.ok(config.toBuffer().equals(input), 'round trip');
        void config.globals;
        void config.networks;
        const reference = config.toReferenceFormat();
        const again = parseWpaSupplicantConf(reference, { file: 'ref.conf' });
        assert.deepEqual(again.errors.map((e) => e.message), [], 'the reference format parses cleanly');
        assert.ok(again.config.toReferenceFormat().equals(reference), 'the reference format is a fixed point');
      } catch (err) {
        assert.fail(`seed ${seed}, input ${JSON.stringify(input.toString('latin1'))}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  });

  it('hostapd.conf: typed diagnostics only, exact round trip', () => {
    for (let seed = 1; seed <= ROUNDS; seed++) {
      const input = soup(seededRandom(seed * 7919));
      try {
        const { conf, config, errors, warnings } = parseHostapdConf(input, { file: 'soup.conf' });
        checkDiagnostics(errors, warnings, 'soup.conf', lineCount(input));
        assert.ok(conf.toBuffer().equals(input), 'round trip');
        assert.ok(config.bss.length >= 1);
      } catch (err) {
        assert.fail(`seed ${seed}, input ${JSON.stringify(input.toString('latin1'))}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  });

  it('edits on random files either apply or throw a ConfigError', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const rand = seededRandom(seed * 104729);
      const { config } = parseWpaSupplicantConf(soup(rand));
      const fragment = (): string => FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)] ?? '';
      const attempts: (() => void)[] = [
        () => config.setGlobal(GLOBAL_WRITE_ORDER[Math.floor(rand() * GLOBAL_WRITE_ORDER.length)] ?? 'ap_scan', fragment()),
        () => config.addNetwork([{ name: NETWORK_WRITE_ORDER[Math.floor(rand() * NETWORK_WRITE_ORDER.length)] ?? 'ssid', value: fragment() }]),
        () => {
          if (config.networkBlocks.length > 0) config.setNetworkField(0, NETWORK_WRITE_ORDER[Math.floor(rand() * NETWORK_WRITE_ORDER.length)] ?? 'ssid', rand() < 0.2 ? null : fragment());
        },
      ];
      for (const attempt of attempts) {
        try {
          attempt();
        } catch (err) {
          assert.ok(err instanceof ConfigError, `seed ${seed}: unexpected ${String(err)}`);
        }
      }
      // Whatever was applied, the result still parses without new kinds of failure.
      const reparsed = parseWpaSupplicantConf(config.toBuffer());
      checkDiagnostics(reparsed.errors, reparsed.warnings, 'wpa_supplicant.conf', lineCount(config.toBuffer()));
    }
  });
});
