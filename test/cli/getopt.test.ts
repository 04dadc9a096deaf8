import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getopt, UsageError } from '../../src/cli/getopt.js';

describe('getopt (as wpa_supplicant/hostapd parse their command lines)', () => {
  it('clustered flags count, arguments attached or separate, operands after the options', () => {
    const r = getopt(['-dd', '-ieth0', '-c', 'wpa.conf', '-K', 'extra', '-d'], 'i:c:D:dK');
    assert.equal(r.flags.get('d'), 2);
    assert.equal(r.flags.get('K'), 1);
    assert.equal(r.values.get('i'), 'eth0');
    assert.equal(r.values.get('c'), 'wpa.conf');
    assert.deepEqual(r.operands, ['extra', '-d']);
  });

  it('a flag cluster may end in an option that takes the next word', () => {
    const r = getopt(['-dKc', 'x.conf'], 'c:dK');
    assert.equal(r.values.get('c'), 'x.conf');
    assert.equal(r.flags.get('d'), 1);
  });

  it('-- ends the options; the last value of a repeated option wins', () => {
    const r = getopt(['-i', 'a', '-i', 'b', '--', '-d'], 'i:d');
    assert.equal(r.values.get('i'), 'b');
    assert.deepEqual(r.operands, ['-d']);
    assert.equal(r.flags.has('d'), false);
  });

  it('unknown options and missing arguments are usage errors that name the option', () => {
    assert.throws(() => getopt(['-x'], 'i:'), (e: unknown) => e instanceof UsageError && e.message === 'unknown option -x');
    assert.throws(() => getopt(['-i'], 'i:'), (e: unknown) => e instanceof UsageError && e.message === 'option -i needs an argument');
  });

  it('long flags only when the caller names them; any other --word is an unknown option, not a cluster of letters', () => {
    const r = getopt(['-d', '--help', 'x'], 'd', ['help']);
    assert.equal(r.flags.get('help'), 1);
    assert.deepEqual(r.operands, ['x']);
    assert.throws(() => getopt(['--help'], 'h'), (e: unknown) => e instanceof UsageError && e.message === 'unknown option --help');
    assert.throws(() => getopt(['--bogus'], 'd', ['help']), (e: unknown) => e instanceof UsageError && e.message === 'unknown option --bogus');
  });
});
