/**
 * What wpa_supplicant 2.10 calls the association on a wired port (driver_wired.c with ap_scan=0):
 * the driver reports the PAE group address as its BSSID, so taking a network generates an
 * association event (wpa_supplicant_gen_assoc_event) with that address, and leaving it is a
 * deauthentication like any other. The STA daemon owns one of these when its link has no radio.
 *
 * Recorded from the real 2.10 -Dwired (test/vectors/ctrl/wpa-supplicant-2.10-wps-wired.txt,
 * ...-wired-association.txt, ...-flush-wps.txt; test/vectors/captures/real-pbc/wpa_supplicant.log):
 *  - taking a network: `Associated with 01:80:c2:00:00:03`, then for key_mgmt NONE
 *    `CTRL-EVENT-CONNECTED` (nothing more to do), then `CTRL-EVENT-SUBNET-STATUS-UPDATE status=0`;
 *  - leaving it: `CTRL-EVENT-DISCONNECTED bssid=01:80:c2:00:00:03 reason=3 locally_generated=1`,
 *    then `CTRL-EVENT-DSCP-POLICY clear_all` (wpa_supplicant_clear_connection);
 *  - wpa_state ASSOCIATED while a network is taken (COMPLETED for key_mgmt NONE; no four-way
 *    handshake ever comes on a wire), DISCONNECTED after leaving, INACTIVE once a selection found
 *    no enabled network;
 *  - STATUS reports that BSSID, freq=0, the network's SSID (empty for the WPS network) and the
 *    suite wpa_supplicant_set_suites picks from the network alone (there is no BSS to match).
 */
import type { NetworkBlock } from '../config/index.js';
import type { KeyMgmtName, WpaNetwork } from '../config/wpa-supplicant-fields.js';
import type { CipherName } from '../config/values.js';
import type { LinkStatus } from './sta-daemon.js';

/** The IEEE 802.1X PAE group address, which the wired driver reports as its BSSID. */
export const PAE_GROUP_ADDRESS = Buffer.from([0x01, 0x80, 0xc2, 0x00, 0x00, 0x03]);
const PAE_TEXT = '01:80:c2:00:00:03';

export interface WiredSuite {
  /** The key management chosen, by its configuration name (null: NONE or WPS). */
  chosen: KeyMgmtName | null;
  keyMgmt: string;
  pairwiseCipher: string;
  groupCipher: string;
  /** key_mgmt NONE: the connection is complete on association. */
  completesOnAssociation: boolean;
}

/**
 * wpa_supplicant_set_suites without a BSS: the key management in the order the reference tries
 * them, named as wpa_key_mgmt_txt names them (with RSN or WPA as the proto makes it).
 */
const KEY_MGMT_PREFERENCE: readonly [KeyMgmtName, (rsn: boolean) => string][] = [
  ['WPA-EAP-SUITE-B-192', () => 'WPA2-EAP-SUITE-B-192'],
  ['WPA-EAP-SUITE-B', () => 'WPA2-EAP-SUITE-B'],
  ['FT-EAP', () => 'FT-EAP'],
  ['FT-PSK', () => 'FT-PSK'],
  ['FT-SAE', () => 'FT-SAE'],
  ['WPA-EAP-SHA256', () => 'WPA2-EAP-SHA256'],
  ['WPA-PSK-SHA256', () => 'WPA2-PSK-SHA256'],
  ['SAE', () => 'SAE'],
  ['WPA-EAP', (rsn) => (rsn ? 'WPA2/IEEE 802.1X/EAP' : 'WPA/IEEE 802.1X/EAP')],
  ['WPA-PSK', (rsn) => (rsn ? 'WPA2-PSK' : 'WPA-PSK')],
  ['OSEN', () => 'OSEN'],
  ['IEEE8021X', () => 'IEEE 802.1X (no WPA)'],
];

/** wpa_pick_pairwise_cipher and wpa_pick_group_cipher: the strongest the network allows. */
const CIPHER_PREFERENCE: readonly CipherName[] = ['CCMP-256', 'GCMP-256', 'CCMP', 'GCMP', 'TKIP'];

export function wiredSuite(network: WpaNetwork): WiredSuite {
  const none = { pairwiseCipher: 'NONE', groupCipher: 'NONE' };
  if (network.keyMgmt.includes('WPS')) return { chosen: null, keyMgmt: 'WPS', ...none, completesOnAssociation: false };
  const rsn = network.proto.includes('RSN');
  const chosen = KEY_MGMT_PREFERENCE.find(([name]) => network.keyMgmt.includes(name));
  if (!chosen) return { chosen: null, keyMgmt: 'NONE', ...none, completesOnAssociation: true };
  const pick = (allowed: readonly CipherName[]) => CIPHER_PREFERENCE.find((c) => allowed.includes(c)) ?? 'NONE';
  return { chosen: chosen[0], keyMgmt: chosen[1](rsn), pairwiseCipher: pick(network.pairwise), groupCipher: pick(network.group), completesOnAssociation: false };
}

export class WiredAssociation {
  private taken: NetworkBlock | null = null;
  private suite: WiredSuite | null = null;
  /**
   * The suite of the last WPA/RSN association. 2.10 reads a new association's suite from the WPA
   * or RSN element of the previous one when there was one (wpa_supplicant_set_suites parses the
   * stale assoc_wpa_ie first): recorded, a WPA2-PSK network taken right after a WPA-PSK one shows
   * key_mgmt=WPA-PSK. An association without WPA (NONE, WPS) has no element.
   */
  private lastWpaSuite: WiredSuite | null = null;
  private idleState: 'DISCONNECTED' | 'INACTIVE' = 'DISCONNECTED';

  constructor(private readonly emit: (text: string) => void) {}

  /** The network block in use (current_ssid), or null. */
  get network(): NetworkBlock | null {
    return this.taken;
  }

  /** Takes `block` (with its network id): leaves another one first; nothing if it is the one in use. */
  associate(block: NetworkBlock, id: number): void {
    if (this.taken === block) return;
    this.leave();
    this.taken = block;
    const own = wiredSuite(block.network);
    const stale = this.lastWpaSuite;
    this.suite = own.chosen && stale?.chosen && block.network.keyMgmt.includes(stale.chosen) ? stale : own;
    this.lastWpaSuite = this.suite.chosen ? this.suite : null;
    this.announce(id);
  }

  /**
   * The association event of the network in use (again, for REASSOCIATE: "Already associated with
   * a configured network - generating associated event").
   */
  announce(id: number): void {
    if (!this.suite) return;
    this.emit(`Associated with ${PAE_TEXT}`);
    if (this.suite.completesOnAssociation) this.emit(`CTRL-EVENT-CONNECTED - Connection to ${PAE_TEXT} completed [id=${id} id_str=]`);
    this.emit('CTRL-EVENT-SUBNET-STATUS-UPDATE status=0');
  }

  /** wpa_supplicant_deauthenticate (reason 3, DEAUTH_LEAVING) of the network in use; false when there was none. */
  leave(): boolean {
    if (!this.taken) return false;
    this.taken = null;
    this.suite = null;
    this.idleState = 'DISCONNECTED';
    this.emit(`CTRL-EVENT-DISCONNECTED bssid=${PAE_TEXT} reason=3 locally_generated=1`);
    this.emit('CTRL-EVENT-DSCP-POLICY clear_all');
    return true;
  }

  /** A selection found no enabled network ("No enabled networks"): wpa_state INACTIVE. */
  nothingToTake(): void {
    if (!this.taken) this.idleState = 'INACTIVE';
  }

  /** What STATUS and D-Bus show; `networkId` is the id of the network in use. */
  status(networkId: number | undefined): LinkStatus {
    const { taken: block, suite } = this;
    if (!block || !suite) return { wpaState: this.idleState };
    return {
      wpaState: suite.completesOnAssociation ? 'COMPLETED' : 'ASSOCIATED',
      ...(networkId !== undefined ? { networkId } : {}),
      bssid: PAE_GROUP_ADDRESS,
      frequency: 0,
      ssid: block.network.ssid ?? Buffer.alloc(0),
      pairwiseCipher: suite.pairwiseCipher,
      groupCipher: suite.groupCipher,
      keyMgmt: suite.keyMgmt,
    };
  }
}
