/**
 * How the Multi-AP Agent brings up the BSSs the Controller gave it: through the control interface
 * of the AP daemon of its radio, as prplMesh's agent drives hostapd, so the same commands work on
 * `onboard ap` and on the real hostapd 2.10. The radio's BSSs are slots declared in the AP's own
 * configuration (one `bss=` section each, each with its control socket); the Agent fills them in
 * order: `SET` of the BSS's options on its socket (hostapd_set_iface), then one `RELOAD` of the
 * interface (hostapd_reload_iface: every BSS takes its new settings and beacons), or `ENABLE` when
 * the radio was torn down. A slot left without configuration gets `STOP_AP` (the driver stops that
 * BSS alone); a radio that gets only tear-down gets `DISABLE`. hostapd 2.10 accepts each of these
 * commands on a running interface (checked against the Debian package: SET ssid2 / wpa_passphrase /
 * multi_ap / multi_ap_backhaul_ssid / multi_ap_backhaul_wpa_passphrase, RELOAD, STOP_AP, DISABLE,
 * ENABLE all answer OK on driver=wired).
 *
 * Everything is checked before the first command goes out: a configuration the radio cannot run
 * (more BSSs than slots, an authentication or encryption type hostapd's options cannot express,
 * a key that is neither a passphrase nor a PSK) is refused whole and the AP keeps what it had.
 */
import type { ReceivedBss } from '../easymesh/bss.js';
import { AuthType, EncrType } from '../wsc/constants.js';
import { expectOperationalError, OnboardError } from '../util/errors.js';

/** One BSS as an M2 describes it (Encrypted Settings + the Multi-AP Extension subelement): what the AP needs of it. */
export type MeshBssSetting = Pick<ReceivedBss, 'ssid' | 'authType' | 'encrType' | 'networkKey' | 'backhaul' | 'fronthaul'>;

export interface CtrlCommand {
  /** The control socket (DIR/IFNAME) of the BSS slot. */
  socket: string;
  command: string;
}

export class LocalApError extends OnboardError {}

/** `SET` values hostapd's wpa_config_parse_string reads back unchanged: hex, so no byte of an SSID is misread. */
const hex = (bytes: Buffer) => bytes.toString('hex');

function securityCommands(bss: MeshBssSetting, where: string): string[] {
  const psk = (auth: number) => (bss.authType & auth) !== 0;
  const wpa = (psk(AuthType.WpaPsk) ? 1 : 0) | (psk(AuthType.Wpa2Psk) ? 2 : 0);
  if (bss.authType === AuthType.Open) {
    if (bss.encrType !== EncrType.None) throw new LocalApError('mesh-ap-encr', `${where}: open authentication with encryption type 0x${bss.encrType.toString(16).padStart(4, '0')} (only 0x0001, none, goes with it)`);
    return ['SET wpa 0'];
  }
  if (wpa === 0 || (bss.authType & ~(AuthType.WpaPsk | AuthType.Wpa2Psk)) !== 0) {
    throw new LocalApError('mesh-ap-auth', `${where}: authentication type 0x${bss.authType.toString(16).padStart(4, '0')} cannot be run (open 0x0001, WPA-PSK 0x0002, WPA2-PSK 0x0020 or both)`);
  }
  const ciphers = [(bss.encrType & EncrType.Aes) !== 0 ? 'CCMP' : '', (bss.encrType & EncrType.Tkip) !== 0 ? 'TKIP' : ''].filter((c) => c !== '');
  if (ciphers.length === 0 || (bss.encrType & ~(EncrType.Aes | EncrType.Tkip)) !== 0) {
    throw new LocalApError('mesh-ap-encr', `${where}: encryption type 0x${bss.encrType.toString(16).padStart(4, '0')} cannot be run with WPA (AES 0x0008, TKIP 0x0004 or both)`);
  }
  return [`SET wpa ${wpa}`, 'SET wpa_key_mgmt WPA-PSK', `SET ${wpa === 1 ? 'wpa_pairwise' : 'rsn_pairwise'} ${ciphers.join(' ')}`, keyCommand('wpa', bss.networkKey, where)];
}

/** A Network Key of 8..63 printable characters is a passphrase, 64 hex digits a PSK (as hostapd reads them). */
function keyCommand(prefix: 'wpa' | 'multi_ap_backhaul_wpa', key: Buffer, where: string): string {
  const text = key.toString('latin1');
  if (key.length === 64 && /^[0-9a-fA-F]{64}$/.test(text)) return `SET ${prefix}_psk ${text.toLowerCase()}`;
  if (key.length >= 8 && key.length <= 63 && key.every((b) => b >= 0x20 && b < 0x7f)) return `SET ${prefix}_passphrase ${text}`;
  throw new LocalApError('mesh-ap-key', `${where}: the network key (${key.length} bytes) is neither a passphrase of 8..63 printable characters nor a 64-hex-digit PSK`);
}

/**
 * The commands that put `bsses` on the radio whose BSS slots are `slots` (control socket paths,
 * the first being the radio's interface). `enabled`: the interface is up now (STATUS state=ENABLED).
 * Throws LocalApError, before any command, for a configuration the slots cannot run.
 */
export function localApCommands(slots: readonly string[], bsses: readonly MeshBssSetting[], enabled: boolean): CtrlCommand[] {
  if (slots.length === 0) throw new LocalApError('mesh-ap-slots', 'the radio has no BSS slot (bss_ctrl=) to configure');
  if (bsses.length > slots.length) throw new LocalApError('mesh-ap-slots', `${bsses.length} BSSs for a radio with ${slots.length} BSS slots`);
  if (bsses.length === 0) return enabled ? [{ socket: slots[0]!, command: 'DISABLE' }] : [];
  const backhaul = bsses.find((b) => b.backhaul);
  const out: CtrlCommand[] = [];
  bsses.forEach((bss, i) => {
    const where = `BSS ${i} (${bss.ssid.toString('latin1')})`;
    if (bss.ssid.length === 0 || bss.ssid.length > 32) throw new LocalApError('mesh-ap-ssid', `${where}: an SSID of ${bss.ssid.length} bytes (1..32)`);
    const commands = [`SET ssid2 ${hex(bss.ssid)}`, ...securityCommands(bss, where), `SET multi_ap ${(bss.backhaul ? 1 : 0) | (bss.fronthaul ? 2 : 0)}`];
    // hostapd hands a backhaul STA that asks in M1 the backhaul BSS's credentials (wps_build_cred).
    // The key first: onboard ap's SET checks that a backhaul SSID has one (hostapd takes either order).
    if (bss.fronthaul && backhaul && backhaul !== bss) {
      commands.push(keyCommand('multi_ap_backhaul_wpa', backhaul.networkKey, `${where}: backhaul`), `SET multi_ap_backhaul_ssid ${hex(backhaul.ssid)}`);
    }
    for (const command of commands) out.push({ socket: slots[i]!, command });
  });
  out.push({ socket: slots[0]!, command: enabled ? 'RELOAD' : 'ENABLE' });
  for (const socket of slots.slice(bsses.length)) out.push({ socket, command: 'STOP_AP' });
  return out;
}

export type CtrlRequest = (socket: string, command: string) => Promise<string | null>;

/** Runs the commands of localApCommands against the AP daemon; the first that is not answered OK stops it. */
export class LocalApDriver {
  constructor(
    private readonly slots: readonly string[],
    private readonly request: CtrlRequest,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Checks everything, then configures. Throws LocalApError (nothing sent, or the command refused). */
  async apply(bsses: readonly MeshBssSetting[]): Promise<void> {
    const status = await this.ask(this.slots[0] ?? '', 'STATUS');
    const commands = localApCommands(this.slots, bsses, /^state=ENABLED$/m.test(status));
    for (const { socket, command } of commands) {
      const reply = await this.ask(socket, command);
      // Key material stays out of the log, as hostapd's own ctrl_iface debug print does.
      this.log(`${socket}: ${/passphrase|_psk/.test(command) ? command.replace(/ \S+$/, ' [REMOVED]') : command} -> ${reply.trim()}`);
      if (reply !== 'OK\n') throw new LocalApError('mesh-ap-refused', `${socket} answered '${reply.trim()}' to ${command.split(' ').slice(0, 2).join(' ')}`);
    }
  }

  private async ask(socket: string, command: string): Promise<string> {
    let reply: string | null;
    try {
      reply = await this.request(socket, command);
    } catch (error) {
      throw new LocalApError('mesh-ap-unreachable', `cannot reach the AP's control socket ${socket}: ${expectOperationalError(error).message}`, { cause: error });
    }
    if (reply === null) throw new LocalApError('mesh-ap-timeout', `no answer from ${socket} to ${command.split(' ')[0]}`);
    return reply;
  }
}
