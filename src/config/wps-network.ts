/**
 * How a WPS credential becomes a network block, as the reference STA does it
 * (wpa_supplicant/wps_supplicant.c wpa_supplicant_wps_cred; config_file.c
 * wpa_config_write_network):
 *  - mixed WPA-PSK+WPA2-PSK is treated as WPA2-PSK; Open, WPA-PSK and WPA2-PSK are used, anything
 *    else is ignored; PSK keys must be 8..64 bytes (64 = raw PSK in hex, else a passphrase);
 *  - WPA2-PSK → proto RSN, key_mgmt WPA-PSK, auth_alg OPEN; WPA-PSK → proto WPA RSN; Open →
 *    key_mgmt NONE; AES → pairwise CCMP (+GCMP variants the driver has); TKIP → TKIP CCMP;
 *  - the first credential of a run replaces the temporary WPS network in place (same position and
 *    id, no event), so what was set on that network survives: pbss=2 and, for a Multi-AP run,
 *    multi_ap_backhaul_sta=1 (post-2.10 also multi_ap_profile); later credentials of the same M8
 *    become plain new networks (CTRL-EVENT-NETWORK-ADDED);
 *  - existing networks with the same SSID and security are removed (two credentials of one run
 *    that only differ in WPA/WPA2 or TKIP/CCMP are merged).
 */
import type { Credential } from '../wsc/credential-types.js';
import { AuthType, EncrType } from '../wsc/constants.js';
import { OnboardError } from '../util/errors.js';
import type { NetworkBlock, NetworkFieldValue, ReferenceFormatOptions, WpaSupplicantConf } from './wpa-supplicant-conf.js';
import { referenceNetworkFields } from './wpa-supplicant-conf.js';
import { DEFAULT_PAIRWISE, DEFAULT_PROTO, PROTO_ORDER, defaultNetwork, networkProblems } from './wpa-supplicant-fields.js';
import type { WpaNetwork } from './wpa-supplicant-fields.js';
import type { CipherName } from './values.js';
import { CIPHER_ORDER, inOrder, parseHexBytes, sameSet } from './values.js';

export type AesExtraCipher = 'GCMP' | 'GCMP-256' | 'CCMP-256';

export interface WpsNetworkOptions extends ReferenceFormatOptions {
  /**
   * The credential replaces the run's temporary WPS network (default true, as for the first
   * credential of an M8): pbss=2 and the Multi-AP fields below are kept.
   */
  replacesWpsNetwork?: boolean;
  /**
   * Index of the run's temporary WPS network (see WpaSupplicantConf.addNetwork): the credential
   * that replaces the WPS network takes its place and id instead of a new block at the end.
   */
  wpsNetworkIndex?: number;
  /** The run was `WPS_PBC multi_ap=N`: the network gets `multi_ap_backhaul_sta=1`. */
  multiApBackhaulSta?: boolean;
  /** Post-2.10: the N of `multi_ap=N`, written as `multi_ap_profile=N` (2.10 does not write it). */
  multiApProfile?: number;
  /** Global `wps_priority` (written as `priority` when not 0). */
  priority?: number;
  /** Global `wps_cred_add_sae`: WPA2-PSK passphrase credentials also allow SAE, with PMF optional. */
  addSae?: boolean;
  /** Ciphers the driver supports beyond CCMP; an AES credential enables them too (pairwise and group). */
  driverCiphers?: readonly AesExtraCipher[];
}

export class WpsCredentialError extends OnboardError {
  constructor(message: string) {
    super('wps-credential-invalid', message);
  }
}

const PSK_AKMS = ['WPA-PSK', 'FT-PSK', 'WPA-PSK-SHA256', 'SAE', 'SAE-EXT-KEY', 'FT-SAE', 'FT-SAE-EXT-KEY'];

/**
 * The typed network the reference creates from a credential, or `{ ignored }` when it skips the
 * credential. Throws WpsCredentialError for a PSK credential whose key the reference rejects.
 */
export function networkFromCredential(cred: Credential, options: WpsNetworkOptions = {}): WpaNetwork | { ignored: string } {
  let auth = cred.authType;
  if (auth === (AuthType.WpaPsk | AuthType.Wpa2Psk)) auth = AuthType.Wpa2Psk;
  if (auth !== AuthType.Open && auth !== AuthType.WpaPsk && auth !== AuthType.Wpa2Psk) {
    return { ignored: `unsupported authentication type 0x${auth.toString(16)}` };
  }
  const key = cred.networkKey;
  if (auth !== AuthType.Open && (key.length < 8 || key.length > 64)) {
    throw new WpsCredentialError(`PSK credential with invalid Network Key length ${key.length} (expected 8..64)`);
  }

  const n = defaultNetwork();
  n.ssid = Buffer.from(cred.ssid);
  if (cred.encrType === EncrType.Tkip) {
    n.pairwise = ['CCMP', 'TKIP'];
  } else if (cred.encrType === EncrType.Aes) {
    const extra = options.driverCiphers ?? [];
    n.pairwise = inOrder<CipherName>(['CCMP', ...extra], CIPHER_ORDER);
    n.group = inOrder<CipherName>([...n.group, ...extra], CIPHER_ORDER);
  }

  if (auth === AuthType.Open) {
    n.authAlg = ['OPEN'];
    n.keyMgmt = ['NONE'];
    // No proto line is written for an open network, and the file reads back with the default.
    n.proto = [...DEFAULT_PROTO];
  } else if (auth === AuthType.WpaPsk) {
    n.authAlg = ['OPEN'];
    n.keyMgmt = ['WPA-PSK'];
    n.proto = ['WPA', 'RSN'];
  } else {
    n.authAlg = ['OPEN'];
    n.keyMgmt = ['WPA-PSK'];
    if (options.addSae && key.length !== 64) {
      n.authAlg = [];
      n.keyMgmt = ['WPA-PSK', 'SAE'];
      n.ieee80211w = 1;
    }
    n.proto = ['RSN'];
  }

  if (n.keyMgmt.includes('WPA-PSK')) {
    if (key.length === 64) {
      const psk = parseHexBytes(key.toString('latin1'), 32);
      if (!psk) throw new WpsCredentialError('PSK credential with a 64-character Network Key that is not hex');
      n.psk = { kind: 'psk', psk };
    } else {
      const bytes = Buffer.from(key);
      n.psk = { kind: 'passphrase', passphrase: bytes.toString('utf8'), bytes };
    }
  }
  n.priority = options.priority ?? 0;
  if (options.replacesWpsNetwork ?? true) {
    // pbss=2 ("AP or PCP") is set on every non-P2P WPS network and survives the replacement.
    n.pbss = 2;
    if (options.multiApBackhaulSta) {
      n.multiApBackhaulSta = true;
      if (options.multiApProfile !== undefined) n.multiApProfile = options.multiApProfile;
    }
  }
  // Checked once, here, by the rules the file is read with: what cannot be stored fails now.
  const problems = networkProblems(n);
  if (problems.length > 0) throw new WpsCredentialError(`the network cannot be stored: ${problems.join('; ')}`);
  return n;
}

/**
 * The network block fields for a credential, in the reference writer's order and format (e.g.
 * `ssid="fronthaul"`, `psk="…"`, `proto=RSN`, `key_mgmt=WPA-PSK`, `pairwise=CCMP`, `auth_alg=OPEN`,
 * `pbss=2`, `multi_ap_backhaul_sta=1`), or `{ ignored }`.
 */
export function networkFieldsFromCredential(cred: Credential, options: WpsNetworkOptions = {}): NetworkFieldValue[] | { ignored: string } {
  const n = networkFromCredential(cred, options);
  if ('ignored' in n) return n;
  // Values are printable ASCII except possibly a passphrase, which is then handed over as bytes.
  return referenceNetworkFields({ network: n }, options).map(([name, value]) => ({ name, value: /^[\x20-\x7e]*$/.test(value) ? value : Buffer.from(value, 'latin1') }));
}

export interface WpsApplyResult {
  /** Indexes (in conf.networks after the call) of the networks created. */
  added: number[];
  /** How many existing networks were removed as duplicates. */
  removed: number;
  /** Credentials the reference would skip, with the reason. */
  ignored: { credential: number; reason: string }[];
  /**
   * Blocks added (a credential beyond the one that replaced the WPS network) and removed (older
   * duplicates), in the order the reference notifies them (CTRL-EVENT-NETWORK-ADDED/-REMOVED).
   */
  changes: { kind: 'added' | 'removed'; block: NetworkBlock }[];
}

/**
 * Adds the credentials of one WPS run to the configuration the way the reference does, honouring
 * the file's `wps_cred_processing` (1: report only, nothing is added), `wps_priority` and
 * `wps_cred_add_sae`. Whether to save the file afterwards is the caller's decision
 * (`update_config`).
 */
export function applyWpsCredentials(conf: WpaSupplicantConf, credentials: readonly Credential[], options: WpsNetworkOptions = {}): WpsApplyResult {
  const result: WpsApplyResult = { added: [], removed: 0, ignored: [], changes: [] };
  const globals = conf.globals;
  if (globals.wpsCredProcessing === 1) return result;
  const sameRun = new Set<NetworkBlock>();
  // The first credential that is used (not ignored) takes the place of the WPS network.
  let wpsNetworkPending = options.replacesWpsNetwork ?? true;
  credentials.forEach((cred, index) => {
    const opts: WpsNetworkOptions = {
      priority: globals.wpsPriority,
      addSae: globals.wpsCredAddSae,
      ...options,
      replacesWpsNetwork: wpsNetworkPending,
    };
    const network = networkFromCredential(cred, opts);
    if ('ignored' in network) {
      result.ignored.push({ credential: index, reason: network.ignored });
      return;
    }
    const replaced = wpsNetworkPending && options.wpsNetworkIndex !== undefined ? options.wpsNetworkIndex : undefined;
    wpsNetworkPending = false;
    let newIndex: number;
    if (replaced !== undefined) {
      conf.replaceTemporaryNetwork(replaced, network, opts);
      newIndex = replaced;
    } else {
      newIndex = conf.addCheckedNetwork(network, opts);
    }
    const newBlock = conf.networkBlocks[newIndex];
    if (!newBlock) return;
    if (replaced === undefined) result.changes.push({ kind: 'added', block: newBlock });
    let merged: WpaNetwork = newBlock.network;
    // Walked from the end so that indexes stay valid; notified in list order, as the reference walks.
    const removedHere: NetworkBlock[] = [];
    for (let j = conf.networkBlocks.length - 1; j >= 0; j--) {
      const old = conf.networkBlocks[j];
      if (!old || old === newBlock) continue;
      const verdict = duplicateVerdict(old.network, merged, sameRun.has(old));
      if (verdict === 'keep') continue;
      if (verdict === 'merge') {
        merged = {
          ...merged,
          proto: inOrder([...merged.proto, ...old.network.proto], PROTO_ORDER),
          pairwise: inOrder([...merged.pairwise, ...old.network.pairwise], CIPHER_ORDER),
        };
      }
      removedHere.unshift(old);
      conf.removeNetwork(j);
      result.removed++;
      if (j < newIndex) newIndex--;
    }
    for (const block of removedHere) result.changes.push({ kind: 'removed', block });
    if (merged !== newBlock.network) {
      conf.setNetworkField(newIndex, 'proto', sameSet(merged.proto, DEFAULT_PROTO) || merged.proto.length === 0 ? null : merged.proto.join(' '));
      conf.setNetworkField(newIndex, 'pairwise', sameSet(merged.pairwise, DEFAULT_PAIRWISE) ? null : merged.pairwise.join(' '));
    }
    sameRun.add(newBlock);
  });
  // Later credentials can remove (merge) networks added for earlier ones: index by identity at the end.
  const blocks = conf.networkBlocks;
  result.added = [...sameRun].map((b) => blocks.indexOf(b)).filter((i) => i >= 0);
  return result;
}

/** wpas_wps_remove_dup_network's decision for one existing network. */
function duplicateVerdict(old: WpaNetwork, fresh: WpaNetwork, sameRun: boolean): 'keep' | 'remove' | 'merge' {
  if (old.bssid || fresh.bssid) {
    if (!old.bssid || !fresh.bssid || !old.bssid.equals(fresh.bssid)) return 'keep';
  }
  if (!old.ssid || old.ssid.length === 0 || !fresh.ssid || !old.ssid.equals(fresh.ssid)) return 'keep';
  if (!sameSet(old.authAlg, fresh.authAlg) || !sameSet(old.keyMgmt, fresh.keyMgmt)) return 'keep';
  if (!sameSet(old.group, fresh.group) && !(old.group.includes('CCMP') && fresh.group.includes('CCMP'))) return 'keep';
  if (sameRun && old.keyMgmt.some((k) => PSK_AKMS.includes(k))) {
    if (!sameKey(old, fresh)) return 'keep';
    return 'merge';
  }
  if (!sameSet(old.proto, fresh.proto) || !sameSet(old.pairwise, fresh.pairwise)) return 'keep';
  return 'remove';
}

function sameKey(a: WpaNetwork, b: WpaNetwork): boolean {
  if (a.psk?.kind !== b.psk?.kind) return false;
  if (a.psk?.kind === 'passphrase' && b.psk?.kind === 'passphrase') return a.psk.bytes.equals(b.psk.bytes);
  if (a.psk?.kind === 'psk' && b.psk?.kind === 'psk') return a.psk.psk.equals(b.psk.psk);
  return true;
}
