/**
 * The hostapd.conf an extender's AP runs once its Multi-AP Agent has been told which BSSs to run
 * (one M2 per BSS: SSID, authentication, encryption, network key and the Multi-AP bits), as the
 * agent of prplMesh hands its radio's BSS list to hostapd: the first BSS on the radio's own
 * interface, the others as `bss=` sections; a fronthaul BSS runs WPS and, when the list has a
 * backhaul BSS, hands out that BSS's credentials to Multi-AP backhaul STAs (multi_ap_backhaul_*),
 * so a further extender can onboard through this one.
 */
import { AuthType, MultiApBit } from '../wsc/index.js';
import type { MultiApExtension } from '../wsc/index.js';

/** One BSS the Agent was given (the Encrypted Settings of its M2). */
export interface ConfiguredBss {
  ssid: Buffer;
  /** One AuthType bit (0x0020 WPA2-PSK, 0x0001 Open). */
  authType: number;
  /** One EncrType bit (0x0008 AES, 0x0001 None). */
  encrType: number;
  /** 8..63 characters (a passphrase) or 64 hex digits (a PSK); empty for an open BSS. */
  networkKey: Buffer;
  /** The Multi-AP Extension subelement: 0x20 fronthaul, 0x40 backhaul, 0x10 tear down. */
  multiApExtension: MultiApExtension;
}

export interface ExtenderApSettings {
  /** The radio's interface (`interface=`); further BSSs are `<ifname>_1`, `<ifname>_2`, ... */
  ifname: string;
  channel: number;
  deviceName: string;
  uuid: string;
}

/** hostapd's multi_ap value for the Multi-AP bits of an M2 (1 backhaul, 2 fronthaul, 3 both). */
function multiApMode(bits: MultiApExtension): number {
  return ((bits & MultiApBit.BackhaulBss) !== 0 ? 1 : 0) | ((bits & MultiApBit.FronthaulBss) !== 0 ? 2 : 0);
}

function ssidLine(name: string, ssid: Buffer): string {
  const printable = ssid.every((b) => b >= 0x20 && b < 0x7f) && !ssid.includes(0x22);
  return printable ? `${name}=${name === 'ssid' ? ssid.toString('latin1') : `"${ssid.toString('latin1')}"`}` : `${name === 'ssid' ? 'ssid2' : name}=${ssid.toString('hex')}`;
}

function keyLines(prefix: string, key: Buffer): string[] {
  const text = key.toString('latin1');
  return [text.length === 64 ? `${prefix}psk=${text}` : `${prefix}passphrase=${text}`];
}

/**
 * The configuration for `bsses` (the tear-down entries and those without an SSID left out), or
 * null when nothing is left to run: a radio given only tear-down runs no BSS.
 */
export function extenderApConf(bsses: readonly ConfiguredBss[], settings: ExtenderApSettings): string | null {
  const running = bsses.filter((b) => (b.multiApExtension & MultiApBit.TearDown) === 0 && b.ssid.length > 0);
  if (running.length === 0) return null;
  const backhaul = running.find((b) => (b.multiApExtension & MultiApBit.BackhaulBss) !== 0 && (b.authType & AuthType.Wpa2Psk) !== 0);
  const lines = ['# written by the extender\'s Multi-AP Agent from the M2s of the Controller', `interface=${settings.ifname}`, 'driver=sim', `channel=${settings.channel}`];
  running.forEach((bss, index) => {
    if (index > 0) lines.push(`bss=${settings.ifname}_${index}`);
    lines.push(ssidLine('ssid', bss.ssid));
    if ((bss.authType & AuthType.Wpa2Psk) !== 0) lines.push('wpa=2', 'wpa_key_mgmt=WPA-PSK', ...keyLines('wpa_', bss.networkKey), 'rsn_pairwise=CCMP');
    const mode = multiApMode(bss.multiApExtension);
    if (mode) lines.push(`multi_ap=${mode}`);
    if ((bss.multiApExtension & MultiApBit.FronthaulBss) !== 0) {
      lines.push('eap_server=1', 'wps_state=2', 'config_methods=virtual_push_button keypad display');
      lines.push(`device_name=${settings.deviceName}`, 'manufacturer=onboard', `model_name=${settings.deviceName}`, `uuid=${settings.uuid}`);
      if (backhaul && backhaul !== bss) lines.push(ssidLine('multi_ap_backhaul_ssid', backhaul.ssid), ...keyLines('multi_ap_backhaul_wpa_', backhaul.networkKey));
    }
  });
  return lines.map((l) => `${l}\n`).join('');
}
