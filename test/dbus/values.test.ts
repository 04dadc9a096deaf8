/**
 * WPS.Start's argument checks against the real wpa_supplicant 2.10's replies
 * (test/vectors/dbus/wpa_supplicant-2.10-wps-start-replies.json): the same error name and body
 * strings, in the same order of checks; and the two places onboard goes beyond it on purpose.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import dbus from 'dbus-next';
import { DbusReplyError, parseWpsStart } from '../../src/dbus/values.js';
import type { Dict } from '../../src/dbus/values.js';

const { Variant } = dbus;

interface Case {
  args: Record<string, [string, unknown]>;
  error?: string;
  body?: string[];
  reply?: Record<string, unknown>;
}
const CASES = JSON.parse(readFileSync(new URL('../../../test/vectors/dbus/wpa_supplicant-2.10-wps-start-replies.json', import.meta.url), 'utf8')) as Case[];

function dict(args: Case['args']): Dict {
  return Object.fromEntries(Object.entries(args).map(([key, [signature, value]]) => [key, new Variant(signature, signature === 'ay' ? Buffer.from(value as number[]) : value)]));
}

/** The reply onboard gives: an error name and body, or success. */
function ours(args: Case['args']): { error?: string; body?: string[] } {
  try {
    parseWpsStart(dict(args));
    return {};
  } catch (error) {
    if (!(error instanceof DbusReplyError)) throw error;
    return { error: error.errorName, body: error.body };
  }
}

const beyondReference = (c: Case) => 'MultiAP' in c.args || (c.args.Pin?.[0] === 's' && !/^\d+$/.test(c.args.Pin[1] as string));

describe('WPS.Start arguments against wpa_supplicant 2.10', () => {
  it('every request the reference refuses or accepts: the same error name and body, or success', () => {
    const compared = CASES.filter((c) => !beyondReference(c));
    assert.ok(compared.length >= 14);
    for (const c of compared) {
      const expected = c.error ? { error: c.error, body: c.body } : {};
      assert.deepEqual(ours(c.args), expected, JSON.stringify(c.args));
    }
  });

  it('beyond the reference: MultiAP (which 2.10 refuses as an unknown key) is taken; a Pin with letters (which 2.10 takes) is refused', () => {
    const multiAp = CASES.find((c) => 'MultiAP' in c.args)!;
    assert.equal(multiAp.error, 'fi.w1.wpa_supplicant1.InvalidArgs');
    assert.deepEqual(parseWpsStart(dict(multiAp.args)), { type: 'pbc', multiApProfile: 1 });
    const letters = CASES.find((c) => c.args.Pin?.[1] === '12ab5678')!;
    assert.deepEqual(letters.reply, {});
    assert.deepEqual(ours(letters.args), { error: 'fi.w1.wpa_supplicant1.InvalidArgs', body: ['Did not receive correct message arguments.', 'Pin must be digits'] });
  });

  it('MultiAP must be a uint32 profile 1..6: 0, 7 and other types are InvalidArgs, as the reference answers bad WPS.Start input', () => {
    const pbc = { Role: ['s', 'enrollee'], Type: ['s', 'pbc'] } as Case['args'];
    for (const [value, text] of [
      [['u', 0], 'MultiAP must be a profile 1..6'],
      [['u', 7], 'MultiAP must be a profile 1..6'],
      [['i', 1], 'MultiAP must be a uint32'],
      [['s', '1'], 'MultiAP must be a uint32'],
    ] as [[string, unknown], string][]) {
      assert.deepEqual(ours({ ...pbc, MultiAP: value }), { error: 'fi.w1.wpa_supplicant1.InvalidArgs', body: ['Did not receive correct message arguments.', text] });
    }
    for (const profile of [1, 2, 6]) assert.equal(parseWpsStart(dict({ ...pbc, MultiAP: ['u', profile] })).multiApProfile, profile);
  });
});
