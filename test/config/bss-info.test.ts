/**
 * The test harness's bss_info lines, as prplMesh's controller_ucc_listener::parse_bss_info reads
 * them: the selftest's own lines (test/vectors/prplmesh-autoconfig/ucc-commands.txt) and what it refuses.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, bssConfigsFrom, parseBssInfo, parseBssInfoLine } from '../../src/config/index.js';
import { formatMac } from '../../src/util/mac.js';
import { PRPLMESH_DIR } from '../support/prplmesh-captures.js';

describe('bss_info lines', () => {
  it('the selftest\'s dev_set_config lines give Mesh-FH (fronthaul) and Mesh-BH (backhaul) for op classes 81/83/84', () => {
    const command = readFileSync(`${PRPLMESH_DIR}ucc-commands.txt`, 'utf8').split('\n').find((l) => l.startsWith('-> dev_set_config'))!;
    const lines = command.replace('-> dev_set_config,', '').split(/,?bss_info\d+,/).filter((l) => l !== '');
    assert.equal(lines.length, 2);
    const { entries, errors } = parseBssInfo(lines.join('\n'));
    assert.deepEqual(errors, []);
    const configs = bssConfigsFrom(entries);
    assert.deepEqual(configs.map((c) => [formatMac(c.alMac), c.opClasses, c.ssid.toString(), c.authType, c.encrType, c.networkKey.toString(), c.backhaul, c.fronthaul]), [
      ['02:00:00:00:a0:ff', [81, 83, 84], 'Mesh-FH', 0x20, 0x08, 'fhpass123', false, true],
      ['02:00:00:00:a0:ff', [81, 83, 84], 'Mesh-BH', 0x20, 0x08, 'bhpass123', true, false],
    ]);
  });

  it('operating classes: 11x, 12x, a number', () => {
    const opClasses = (group: string) => {
      const entry = parseBssInfoLine(`02:00:00:00:a0:ff ${group} n 0x0001 0x0001 - 0 1`);
      return entry.kind === 'bss' ? entry.config.opClasses : undefined;
    };
    assert.deepEqual(opClasses('11x'), [115, 116]);
    assert.deepEqual(opClasses('12x'), [124, 125, 126]);
    assert.deepEqual(opClasses('128'), [128]);
  });

  it('a two-field line forgets that AL MAC\'s BSSs; comments and blank lines are skipped', () => {
    const { entries, errors } = parseBssInfo('# gateway\n02:00:00:00:a0:ff 8x A 0x0020 0x0008 passphrase1 0 1\n\n02:00:00:00:b0:ff 8x B 0x0020 0x0008 passphrase2 0 1\n02:00:00:00:a0:ff 8x\n');
    assert.deepEqual(errors, []);
    assert.deepEqual(bssConfigsFrom(entries).map((c) => c.ssid.toString()), ['B']);
  });

  it('refusals name file, line and field, never the key', () => {
    const text = [
      '02:00:00:00:a0:ff 8x Mesh-FH 0x0020 0x0008 fhpass123 0',
      'zz:00:00:00:a0:ff 8x Mesh-FH 0x0020 0x0008 fhpass123 0 1',
      '02:00:00:00:a0:ff 9x Mesh-FH 0x0020 0x0008 fhpass123 0 1',
      `02:00:00:00:a0:ff 8x ${'s'.repeat(33)} 0x0020 0x0008 fhpass123 0 1`,
      '02:00:00:00:a0:ff 8x Mesh-FH 0x0003 0x0008 fhpass123 0 1',
      '02:00:00:00:a0:ff 8x Mesh-FH 0x0020 8 fhpass123 0 1',
      '02:00:00:00:a0:ff 8x Mesh-FH 0x0020 0x0008 short 0 1',
      '02:00:00:00:a0:ff 8x Mesh-FH 0x0020 0x0008 fhpass123 2 1',
      '02:00:00:00:a0:ff 8x Mesh-FH 0x0001 0x0001 open 0 1',
    ].join('\n');
    const { entries, errors } = parseBssInfo(text, 'ctl.conf');
    assert.equal(entries.length, 1);
    assert.deepEqual(errors.map((e) => [e.line, e.option]), [[1, undefined], [2, 'al_mac'], [3, 'opclass'], [4, 'ssid'], [5, 'auth'], [6, 'encr'], [7, 'key'], [8, 'backhaul']]);
    assert.ok(errors.every((e) => e instanceof ConfigError && e.message.startsWith(`ctl.conf:${e.line}: `) && !e.message.includes('fhpass123') && !e.message.includes('short')));
  });
});
