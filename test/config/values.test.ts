import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatConfigString, formatDeviceType, formatOsVersion, formatUuid, parseCInteger, parseConfigString, parseDecimal, parseDeviceType,
  parseOsVersion, parseUuid, printfDecode,
} from '../../src/config/values.js';
import { meaningfulPart } from '../../src/config/wpa-supplicant-conf.js';

describe('value syntaxes', () => {
  it('string values: "quoted", P"escaped", hex; the last quote must end the value', () => {
    assert.equal(parseConfigString('"a"b"')?.toString(), 'a"b');
    assert.equal(parseConfigString('""')?.length, 0);
    assert.equal(parseConfigString('"a'), null);
    assert.equal(parseConfigString('"a"x'), null);
    assert.equal(parseConfigString('"'), null);
    assert.equal(parseConfigString('4142')?.toString(), 'AB');
    assert.equal(parseConfigString('414'), null);
    assert.equal(parseConfigString('41zz'), null);
    assert.equal(parseConfigString('P"a\\tb"')?.toString(), 'a\tb');
    assert.equal(parseConfigString('P"a'), null);
  });

  it('printf escapes as the reference decodes them', () => {
    assert.deepEqual([...printfDecode('\\\\\\"\\n\\r\\t\\e')], [0x5c, 0x22, 0x0a, 0x0d, 0x09, 0x1b]);
    assert.deepEqual([...printfDecode('\\x41\\x4g\\xg')], [0x41, 0x04, 0x67, 0x67]);
    assert.deepEqual([...printfDecode('\\101\\0\\777\\8')], [0x41, 0x00, 0xff, 0x38]);
    assert.deepEqual([...printfDecode('end\\')], [...Buffer.from('end')]);
  });

  it('the writer quotes printable ASCII and hex-encodes anything else', () => {
    assert.equal(formatConfigString(Buffer.from('home net')), '"home net"');
    assert.equal(formatConfigString(Buffer.from('a"b')), '"a"b"');
    assert.equal(formatConfigString(Buffer.from([0x41, 0x7f])), '417f');
    assert.equal(formatConfigString(Buffer.from([0x1f])), '1f');
    assert.equal(formatConfigString(Buffer.alloc(0)), '""');
  });

  it('wpa_supplicant integers follow strtol base 0; hostapd integers are plain decimal', () => {
    assert.deepEqual(['0', '10', '-7', '+3', ' 5', '0x1F', '0X1f', '017', '00'].map(parseCInteger), [0, 10, -7, 3, 5, 31, 31, 15, 0]);
    assert.deepEqual(['', '0x', '09', '1 ', '1e3', '2147483648', '-2147483649', '--1'].map(parseCInteger), [null, null, null, null, null, null, null, null]);
    assert.equal(parseCInteger('2147483647'), 2147483647);
    assert.deepEqual(['3', ' 3 ', '3\r', '-1', '010'].map(parseDecimal), [3, 3, 3, -1, 10]);
    assert.deepEqual(['', '0x10', '3a', '1.5'].map(parseDecimal), [null, null, null, null]);
  });

  it('UUID, device type and OS version text forms round-trip in the reference spelling', () => {
    const uuid = parseUuid('87654321-9ABC-def0-1234-56789abcdef0');
    assert.ok(uuid);
    assert.equal(formatUuid(uuid), '87654321-9abc-def0-1234-56789abcdef0');
    assert.equal(parseUuid('876543219abcdef0123456789abcdef0'), null);
    const type = parseDeviceType('6-0050f204-1');
    assert.equal(type?.toString('hex'), '00060050f2040001');
    assert.ok(type);
    assert.equal(formatDeviceType(type), '6-0050F204-1');
    assert.equal(parseDeviceType('65535-FFFFFFFF-65535')?.toString('hex'), 'ffffffffffffffff');
    assert.equal(parseDeviceType('-1-0050F204-1'), null);
    assert.equal(parseOsVersion('0102030A'), 0x0102030a);
    assert.equal(parseOsVersion('ffffffff'), 0xffffffff);
    assert.equal(formatOsVersion(0x0102030a), '0102030a');
  });

  it('line reader: blanks, comments and quoted # like wpa_config_get_line', () => {
    assert.equal(meaningfulPart(''), null);
    assert.equal(meaningfulPart(' \t\r'), null);
    assert.equal(meaningfulPart('   # c'), null);
    assert.equal(meaningfulPart(' a=1 # c'), 'a=1');
    assert.equal(meaningfulPart('s="x#y" # c'), 's="x#y"');
    assert.equal(meaningfulPart('s="a"#"b"'), 's="a"');
    assert.equal(meaningfulPart('s="unterminated # c'), 's="unterminated');
    assert.equal(meaningfulPart('s="q" "x#y"#z'), 's="q" "x#y"');
    assert.equal(meaningfulPart('a=b\t \r'), 'a=b');
  });
});
