/**
 * GET_CAPABILITY <field> [strict] [iftype=<type>] as wpa_supplicant 2.10 answers it
 * (wpa_supplicant_ctrl_iface_get_capability), with what onboard actually does:
 *   - on the wired link, the answers of `wpa_supplicant -Dwired` (its driver reports no ciphers,
 *     key management beyond NONE/IEEE8021X, modes or channels; test/vectors/ctrl holds them);
 *   - on a radio of the medium, a driver that does WPA2-PSK with CCMP, Open System authentication,
 *     station mode only, on the one channel it sits on.
 * Both report their capabilities, so `strict` changes nothing (it only matters for a driver that
 * reports none). Build-dependent fields answer for what onboard implements: EAP is EAP-WSC only;
 * ACS, DPP, ERP, FIPS, FILS, SAE and MULTIBSS are FAIL as in a build without them.
 */

export interface RadioCapability {
  channel: number;
  frequency: number;
}

/** iftype= names (wpa_supplicant's iftype_str_to_index). */
const IFTYPES = new Set(['STATION', 'AP_VLAN', 'AP', 'P2P_GO', 'P2P_CLIENT', 'P2P_DEVICE', 'MESH', 'IBSS', 'NAN']);

/** Returns the reply, or null for UNKNOWN COMMAND (no field at all, as the reference). */
export function getCapability(args: readonly string[], radio: RadioCapability | null): string | null {
  const [field, ...params] = args;
  if (field === undefined) return null;
  if (field.length >= 50) return 'FAIL\n';
  for (const param of params) {
    if (param === 'strict') continue;
    if (param.startsWith('iftype=') && field !== 'key_mgmt') continue;
    if (param.startsWith('iftype=') && IFTYPES.has(param.slice(7))) continue;
    return 'FAIL\n';
  }
  const band = radio && radio.frequency >= 5000 ? 'A' : 'G';
  switch (field) {
    case 'eap':
      return 'WSC';
    case 'pairwise':
    case 'group':
      return radio ? 'CCMP' : '';
    case 'group_mgmt':
    case 'modes':
      return '';
    case 'key_mgmt': {
      // capa->key_mgmt_iftype[]: the radio does WPA-PSK as a station only.
      const iftype = params.find((p) => p.startsWith('iftype='))?.slice(7);
      return radio && (iftype === undefined || iftype === 'STATION') ? 'NONE IEEE8021X WPA-PSK' : 'NONE IEEE8021X';
    }
    case 'proto':
      return radio ? 'RSN' : '';
    case 'auth_alg':
      return radio ? 'OPEN' : '';
    case 'channels':
      return radio ? `Mode[${band}] Channels: ${radio.channel}\n` : '';
    case 'freq':
      return radio ? `Mode[${band}] Channels:\n ${radio.channel} = ${radio.frequency} MHz\n\n` : '';
    case 'tdls':
      return 'UNSUPPORTED\n';
    case 'ocv':
    case 'beacon_prot':
      return 'not supported';
    default:
      return 'FAIL\n';
  }
}
