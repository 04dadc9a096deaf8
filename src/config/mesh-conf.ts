/**
 * The configuration files of `onboard controller` and `onboard agent`: `name=value` lines as in
 * hostapd.conf (`#` comments, blank lines), checked whole before anything is opened, every problem
 * as `FILE:LINE: what is wrong`.
 *
 * Both: `interface=` (one line per 1905 interface; at least one), `al_mac=` (default: the first
 * interface's address), `ctrl_interface=` / `ctrl_interface_group=` (the control socket
 * DIR/<first interface>), and the WSC device identity of the M1/M2 they send: `device_name`,
 * `manufacturer`, `model_name`, `model_number`, `serial_number`, `uuid`, `os_version`.
 *
 * Controller: `bss_info=<AL MAC> <opclass> <SSID> <auth 0x..> <encr 0x..> <key> <backhaul 0|1>
 * <fronthaul 0|1>` (also `bss_info1=`, `bss_info2=`, ... as the Wi-Fi Alliance test harness numbers
 * them), one per BSS to hand out; the line itself is read by the `bss_info` parser of src/config.
 *
 * Agent: `backhaul_sta_ctrl=` (the backhaul STA's wpa_supplicant control socket, optional), then
 * one section per radio, started by `radio=<name>`: `radio_mac=` (its Radio Unique Identifier),
 * `band=2.4|5|6`, `bss_ctrl=<socket> [<socket> ...]` (the control sockets of the radio's BSS
 * slots in the local hostapd / onboard ap, the first being the radio's interface).
 */
import { Diagnostics, printable } from './diagnostics.js';
import type { ConfigError, ConfigWarning } from './diagnostics.js';
import { isMacText, parseMac } from '../util/mac.js';
import type { MacAddress } from '../util/mac.js';

export interface MeshDeviceSettings {
  deviceName?: string;
  manufacturer?: string;
  modelName?: string;
  modelNumber?: string;
  serialNumber?: string;
  /** 16 bytes. */
  uuid?: Buffer;
  osVersion?: number;
}

export interface MeshCommonConfig {
  interfaces: string[];
  alMac?: MacAddress;
  ctrlInterface?: string;
  ctrlInterfaceGroup?: string;
  device: MeshDeviceSettings;
}

export interface BssInfoLine {
  /** Line of the file, for diagnostics. */
  line: number;
  text: string;
}

export interface ControllerFileConfig extends MeshCommonConfig {
  bssInfo: BssInfoLine[];
}

export type MeshBand = '2.4' | '5' | '6';

export interface AgentRadioConfig {
  name: string;
  line: number;
  ruid?: MacAddress;
  band?: MeshBand;
  bssCtrl: string[];
}

export interface AgentFileConfig extends MeshCommonConfig {
  backhaulStaCtrl?: string;
  radios: AgentRadioConfig[];
}

export interface MeshParseResult<T> {
  config: T;
  errors: readonly ConfigError[];
  warnings: readonly ConfigWarning[];
}

interface Line {
  number: number;
  name: string;
  value: string;
}

function lines(text: Buffer, diag: Diagnostics): Line[] {
  const out: Line[] = [];
  text
    .toString('utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(/\r$/, '');
      if (/^\s*(#|$)/.test(line)) return;
      const eq = line.indexOf('=');
      if (eq <= 0) return diag.error('config-syntax', i + 1, `'${printable(line)}': not name=value`);
      out.push({ number: i + 1, name: line.slice(0, eq).trim(), value: line.slice(eq + 1) });
    });
  return out;
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The options both files share; false when the name is not one of them. */
function common(config: MeshCommonConfig, l: Line, diag: Diagnostics): boolean {
  const { name, value, number } = l;
  const text = (set: (v: string) => void, max = 64) => {
    if (value.length > max) diag.error('config-invalid-value', number, `${name}: longer than ${max} characters`, name);
    else set(value);
  };
  switch (name) {
    case 'interface':
      if (!/^[^\s/]{1,15}$/.test(value)) diag.error('config-invalid-value', number, `interface: '${printable(value)}' is not an interface name (1..15 characters)`, name);
      else if (config.interfaces.includes(value)) diag.error('config-invalid-value', number, `interface: ${value} given twice`, name);
      else config.interfaces.push(value);
      return true;
    case 'al_mac':
      if (!isMacText(value)) diag.error('config-invalid-value', number, `al_mac: '${printable(value)}' is not a MAC address`, name);
      else if (parseMac(value)[0]! & 1) diag.error('config-invalid-value', number, `al_mac: ${value} is a group address`, name);
      else config.alMac = parseMac(value);
      return true;
    case 'ctrl_interface':
      text((v) => (config.ctrlInterface = v), 200);
      return true;
    case 'ctrl_interface_group':
      text((v) => (config.ctrlInterfaceGroup = v));
      return true;
    case 'device_name':
      text((v) => (config.device.deviceName = v), 32);
      return true;
    case 'manufacturer':
      text((v) => (config.device.manufacturer = v));
      return true;
    case 'model_name':
      text((v) => (config.device.modelName = v), 32);
      return true;
    case 'model_number':
      text((v) => (config.device.modelNumber = v), 32);
      return true;
    case 'serial_number':
      text((v) => (config.device.serialNumber = v), 32);
      return true;
    case 'uuid':
      if (!UUID_TEXT.test(value)) diag.error('config-invalid-value', number, `uuid: '${printable(value)}' is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`, name);
      else config.device.uuid = Buffer.from(value.replace(/-/g, ''), 'hex');
      return true;
    case 'os_version':
      if (!/^[0-9a-fA-F]{8}$/.test(value)) diag.error('config-invalid-value', number, `os_version: '${printable(value)}' is not 8 hex digits`, name);
      else config.device.osVersion = parseInt(value, 16);
      return true;
    default:
      return false;
  }
}

function finishCommon(config: MeshCommonConfig, diag: Diagnostics): void {
  if (config.interfaces.length === 0) diag.error('config-inconsistent', 0, 'interface= is required (the 1905 interfaces)', 'interface');
}

export function parseControllerConf(text: Buffer, options: { file: string }): MeshParseResult<ControllerFileConfig> {
  const diag = new Diagnostics(options.file);
  const config: ControllerFileConfig = { interfaces: [], device: {}, bssInfo: [] };
  for (const l of lines(text, diag)) {
    if (common(config, l, diag)) continue;
    if (/^bss_info\d*$/.test(l.name)) config.bssInfo.push({ line: l.number, text: l.value });
    else diag.error('config-unknown-option', l.number, `unknown option '${printable(l.name)}'`, l.name);
  }
  finishCommon(config, diag);
  return { config, errors: diag.sortedErrors(), warnings: diag.sortedWarnings() };
}

export function parseAgentConf(text: Buffer, options: { file: string }): MeshParseResult<AgentFileConfig> {
  const diag = new Diagnostics(options.file);
  const config: AgentFileConfig = { interfaces: [], device: {}, radios: [] };
  let radio: AgentRadioConfig | null = null;
  for (const l of lines(text, diag)) {
    const { name, value, number } = l;
    if (name === 'radio') {
      if (!/^[^\s/]{1,15}$/.test(value)) diag.error('config-invalid-value', number, `radio: '${printable(value)}' is not a radio name (1..15 characters)`, name);
      else if (config.radios.some((r) => r.name === value)) diag.error('config-invalid-value', number, `radio: ${value} given twice`, name);
      radio = { name: value, line: number, bssCtrl: [] };
      config.radios.push(radio);
      continue;
    }
    if (name === 'radio_mac' || name === 'band' || name === 'bss_ctrl') {
      if (!radio) {
        diag.error('config-syntax', number, `${name}: belongs in a radio= section`, name);
        continue;
      }
      if (name === 'radio_mac') {
        if (!isMacText(value) || parseMac(value)[0]! & 1) diag.error('config-invalid-value', number, `radio_mac: '${printable(value)}' is not a unicast MAC address`, name);
        else radio.ruid = parseMac(value);
      } else if (name === 'band') {
        if (value !== '2.4' && value !== '5' && value !== '6') diag.error('config-invalid-value', number, `band: '${printable(value)}' (2.4, 5 or 6)`, name);
        else radio.band = value;
      } else {
        const slots = value.split(/\s+/).filter((s) => s !== '');
        if (slots.length === 0) diag.error('config-invalid-value', number, 'bss_ctrl: at least one control socket', name);
        radio.bssCtrl = slots;
      }
      continue;
    }
    if (radio) {
      diag.error('config-syntax', number, `${printable(name)}: a global option after radio=${radio.name}; put global options first`, name);
      continue;
    }
    if (common(config, l, diag)) continue;
    if (name === 'backhaul_sta_ctrl') config.backhaulStaCtrl = value;
    else diag.error('config-unknown-option', number, `unknown option '${printable(name)}'`, name);
  }
  finishCommon(config, diag);
  for (const r of config.radios) {
    if (!r.ruid) diag.error('config-inconsistent', r.line, `radio=${r.name}: radio_mac= is required (the Radio Unique Identifier)`, 'radio_mac');
    if (!r.band) diag.error('config-inconsistent', r.line, `radio=${r.name}: band= is required (2.4, 5 or 6)`, 'band');
    if (r.bssCtrl.length === 0) diag.error('config-inconsistent', r.line, `radio=${r.name}: bss_ctrl= is required (the control sockets of its BSS slots)`, 'bss_ctrl');
  }
  if (config.radios.length === 0) diag.error('config-inconsistent', 0, 'at least one radio= section', 'radio');
  return { config, errors: diag.sortedErrors(), warnings: diag.sortedWarnings() };
}
