/**
 * The Multi-AP element against hostap 2.11's own builder and checker
 * (src/common/ieee802_11_common.c add_multi_ap_ie, check_multi_ap_ie), written out below from the
 * C source statement by statement, as the expected side: our builder and parser must give the
 * same bytes and the same status for every input tried.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { encodeElements, multiApElement, parseMultiApElement, vendorElement } from '../../src/ieee80211/index.js';

// ieee802_11_defs.h
const WLAN_EID_VENDOR_SPECIFIC = 221;
const OUI_WFA = 0x506f9a;
const MULTI_AP_OUI_TYPE = 0x1b;
const MULTI_AP_SUB_ELEM_TYPE = 0x06;
const MULTI_AP_PROFILE_SUB_ELEM_TYPE = 0x07;
const MULTI_AP_VLAN_SUB_ELEM_TYPE = 0x08;
const MULTI_AP_BACKHAUL_BSS = 0x40;
const MULTI_AP_PROFILE_2 = 2;
const MULTI_AP_PROFILE_MAX = 6;
const WLAN_STATUS_SUCCESS = 0;
const WLAN_STATUS_ASSOC_DENIED_UNSPEC = 12;
const WLAN_STATUS_INVALID_IE = 40;

interface MultiApParams {
  capability: number;
  profile: number;
  vlanid: number;
}

/** add_multi_ap_ie (2.11), with a buffer large enough for every case. */
function addMultiApIe(multiAp: MultiApParams): Buffer {
  const buf: number[] = [];
  buf.push(WLAN_EID_VENDOR_SPECIFIC);
  const lenPtr = buf.length;
  buf.push(0);
  buf.push((OUI_WFA >> 16) & 0xff, (OUI_WFA >> 8) & 0xff, OUI_WFA & 0xff);
  buf.push(MULTI_AP_OUI_TYPE);
  buf.push(MULTI_AP_SUB_ELEM_TYPE, 1, multiAp.capability);
  if (multiAp.profile >= MULTI_AP_PROFILE_2) {
    buf.push(MULTI_AP_PROFILE_SUB_ELEM_TYPE, 1, multiAp.profile);
  }
  if (multiAp.vlanid && multiAp.profile >= MULTI_AP_PROFILE_2 && multiAp.capability & MULTI_AP_BACKHAUL_BSS) {
    buf.push(MULTI_AP_VLAN_SUB_ELEM_TYPE, 2, multiAp.vlanid & 0xff, (multiAp.vlanid >> 8) & 0xff);
  }
  buf[lenPtr] = buf.length - lenPtr - 1;
  return Buffer.from(buf);
}

/** check_multi_ap_ie (2.11) on the element body after the OUI and type, as its callers pass it. */
function checkMultiApIe(ie: Buffer): { status: number; multiAp: MultiApParams } {
  const multiAp: MultiApParams = { capability: 0, profile: 1, vlanid: 0 };
  let extPresent = false;
  // for_each_element: an element header and its whole data must fit.
  for (let pos = 0; ie.length - pos >= 2 && ie.length - pos - 2 >= ie[pos + 1]!; pos += 2 + ie[pos + 1]!) {
    const id = ie[pos]!;
    const elen = ie[pos + 1]!;
    const data = ie.subarray(pos + 2, pos + 2 + elen);
    switch (id) {
      case MULTI_AP_SUB_ELEM_TYPE:
        if (elen >= 1) {
          multiAp.capability = data[0]!;
          extPresent = true;
        } else {
          return { status: WLAN_STATUS_INVALID_IE, multiAp };
        }
        break;
      case MULTI_AP_PROFILE_SUB_ELEM_TYPE:
        if (elen < 1) return { status: WLAN_STATUS_INVALID_IE, multiAp };
        multiAp.profile = data[0]!;
        if (multiAp.profile > MULTI_AP_PROFILE_MAX) return { status: WLAN_STATUS_ASSOC_DENIED_UNSPEC, multiAp };
        break;
      case MULTI_AP_VLAN_SUB_ELEM_TYPE: {
        if (multiAp.profile < MULTI_AP_PROFILE_2) return { status: WLAN_STATUS_INVALID_IE, multiAp };
        if (elen < 2) return { status: WLAN_STATUS_INVALID_IE, multiAp };
        const vlanId = data[0]! | (data[1]! << 8);
        if (vlanId < 1 || vlanId > 4094) return { status: WLAN_STATUS_INVALID_IE, multiAp };
        multiAp.vlanid = vlanId;
        break;
      }
      default:
        break;
    }
  }
  if (!extPresent) return { status: WLAN_STATUS_INVALID_IE, multiAp };
  return { status: WLAN_STATUS_SUCCESS, multiAp };
}

/** Our parser's answer in the reference's terms: a status, and the parameters on success. */
function ours(body: Buffer): { status: number; multiAp?: MultiApParams } {
  const parsed = parseMultiApElement([vendorElement(OUI_WFA, MULTI_AP_OUI_TYPE, body)]);
  assert.notEqual(parsed.kind, 'absent');
  if (parsed.kind === 'invalid') return { status: parsed.status };
  if (parsed.kind !== 'present') throw new Error('unreachable');
  const { extension, profile, vlanId } = parsed.element;
  return { status: WLAN_STATUS_SUCCESS, multiAp: { capability: extension, profile, vlanid: vlanId } };
}

function reference(body: Buffer): { status: number; multiAp?: MultiApParams } {
  const { status, multiAp } = checkMultiApIe(body);
  return status === WLAN_STATUS_SUCCESS ? { status, multiAp } : { status };
}

describe('Multi-AP element as hostap 2.11 builds and checks it', () => {
  it('add_multi_ap_ie: the same bytes for every capability, profile 0..7 and VLAN ID tried', () => {
    let compared = 0;
    for (const capability of [0x00, 0x80, 0x40, 0x20, 0x60, 0x48, 0x44, 0x6c, 0x10, 0xff]) {
      for (let profile = 0; profile <= 7; profile++) {
        for (const vlanid of [0, 1, 10, 0x0102, 4094]) {
          assert.deepEqual(encodeElements([multiApElement({ extension: capability, profile, vlanId: vlanid })]), addMultiApIe({ capability, profile, vlanid }), `capability 0x${capability.toString(16)} profile ${profile} VLAN ${vlanid}`);
          compared++;
        }
      }
    }
    assert.equal(compared, 400);
  });

  it('byte strings written out by hand from add_multi_ap_ie', () => {
    const hex = (capability: number, profile: number, vlanId: number) => encodeElements([multiApElement({ extension: capability, profile, vlanId })]).toString('hex');
    // Profile 1 (and a STA's unset 0): the Extension alone, as 2.10 built it.
    assert.equal(hex(0x80, 1, 0), 'dd07506f9a1b060180');
    assert.equal(hex(0x80, 0, 0), 'dd07506f9a1b060180');
    // A Profile-2 backhaul STA.
    assert.equal(hex(0x80, 2, 0), 'dd0a506f9a1b060180070102');
    // A Profile-2 backhaul BSS with VLAN 10: 08 02 0a 00 (little-endian).
    assert.equal(hex(0x40, 2, 10), 'dd0e506f9a1b06014007010208020a00');
    // The same VLAN on a fronthaul-only BSS, or with profile 1, is not sent.
    assert.equal(hex(0x20, 2, 10), 'dd0a506f9a1b060120070102');
    assert.equal(hex(0x40, 1, 10), 'dd07506f9a1b060140');
    // multi_ap=3 with multi_ap_client_disallow=3: 0x60 | 0x08 | 0x04.
    assert.equal(hex(0x6c, 3, 0x0102), 'dd0e506f9a1b06016c070103080202 01'.replace(' ', ''));
  });

  it('check_multi_ap_ie: the same status and parameters for hand-picked bodies', () => {
    const cases = [
      '060180', // Extension only: profile 1
      '06018007', // cut short after the Extension: accepted, the walk just ends
      '0600', // empty Extension: 40
      '', // no subelement: 40
      '070102', // Profile without Extension: 40
      '0602 8000'.replace(' ', ''), // two-octet Extension: 2.11 takes the first octet (2.10 refused it)
      '060180070100', // profile 0: accepted as announced
      '060180070106', // profile 6
      '060180070107', // profile 7: 12
      '0601800700', // empty Profile: 40
      '06014007010208020a00', // VLAN 10 on profile 2
      '0601400802 0a00'.replace(' ', ''), // VLAN with the default profile 1: 40
      '06014008020a0007010 2'.replace(' ', ''), // VLAN before the Profile: 40 (read in order)
      '060140070102080100', // one-octet VLAN: 40
      '0601400701020802 0000'.replace(' ', ''), // VLAN 0: 40
      '0601400701020802fe0f', // VLAN 4094
      '0601400701020802ff0f', // VLAN 4095: 40
      '0601800601 40'.replace(' ', ''), // two Extensions: the last counts
      'dd03aabbcc060180', // an unknown subelement first
    ];
    for (const body of cases) assert.deepEqual(ours(Buffer.from(body, 'hex')), reference(Buffer.from(body, 'hex')), body);
  });

  it('check_multi_ap_ie: the same answers for 20,000 pseudo-random bodies built from its subelements', () => {
    // A deterministic stream (SHA-256 in counter mode), so a failure replays.
    let counter = 0;
    let pool = Buffer.alloc(0);
    const byte = () => {
      if (pool.length === 0) pool = createHash('sha256').update(`multi-ap ${counter++}`).digest();
      const b = pool[0]!;
      pool = pool.subarray(1);
      return b;
    };
    const outcomes = new Map<number, number>();
    for (let n = 0; n < 20_000; n++) {
      const parts: number[] = [];
      const count = byte() % 5;
      for (let i = 0; i < count; i++) {
        const id = [0x06, 0x07, 0x08, byte()][byte() % 4]!;
        const length = byte() % 8 === 0 ? byte() % 4 : id === 0x08 ? 2 : 1;
        parts.push(id, length);
        for (let j = 0; j < length; j++) parts.push(id === 0x07 ? byte() % 9 : id === 0x08 && j === 1 ? byte() % 17 : byte());
      }
      if (byte() % 6 === 0) parts.length = Math.max(0, parts.length - 1 - (byte() % 3));
      const body = Buffer.from(parts);
      const expected = reference(body);
      assert.deepEqual(ours(body), expected, body.toString('hex'));
      outcomes.set(expected.status, (outcomes.get(expected.status) ?? 0) + 1);
    }
    // Every answer of the reference came up many times.
    for (const status of [WLAN_STATUS_SUCCESS, WLAN_STATUS_ASSOC_DENIED_UNSPEC, WLAN_STATUS_INVALID_IE]) assert.ok((outcomes.get(status) ?? 0) > 500, `status ${status}: ${outcomes.get(status) ?? 0}`);
  });

  it('the last Multi-AP element of a frame is the one read (ieee802_11_parse_elems keeps the last)', () => {
    const first = vendorElement(OUI_WFA, MULTI_AP_OUI_TYPE, Buffer.from('060180', 'hex'));
    const last = vendorElement(OUI_WFA, MULTI_AP_OUI_TYPE, Buffer.from('060140', 'hex'));
    const parsed = parseMultiApElement([first, last]);
    assert.ok(parsed.kind === 'present');
    assert.equal(parsed.element.extension, 0x40);
  });
});
