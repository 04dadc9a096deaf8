/**
 * wpa_supplicant's global control interface (`-g PATH`; wpa_supplicant_global_ctrl_iface_process):
 * interfaces added and removed at run time, commands for one of them as `IFNAME=<ifname> <command>`,
 * and the global STATUS / INTERFACES / INTERFACE_LIST. The process wrapper (src/cli/sta.ts) opens
 * the interfaces; this module only parses and answers. PING, ATTACH, DETACH and LEVEL are the
 * control socket's own (CtrlServerCore).
 */
import type { CommandContext } from '../ctrl/server-core.js';
import { formatMac } from '../util/mac.js';

/** INTERFACE_ADD <ifname>TAB<confname>TAB<driver>TAB<ctrl_interface>TAB<driver_param>TAB<bridge>[TAB<create>[TAB<type>]]. */
export interface InterfaceSpec {
  ifname: string;
  confPath?: string;
  driver?: string;
  ctrlInterface?: string;
  driverParam?: string;
  bridge?: string;
  /** `create [sta|ap]`: a virtual interface the driver should make first. */
  create?: 'sta' | 'ap';
}

/** One interface as the global interface sees it. */
export interface GlobalMember {
  ifname: string;
  macAddress: Buffer;
  /** The ctrl_interface text in use (INTERFACES ctrl), or null for none. */
  ctrlInterface: string | null;
  handle(ctx: CommandContext): Promise<string>;
}

export interface GlobalRegistry {
  members(): GlobalMember[];
  /** Opens the interface; false (the reason logged) when it cannot be. */
  add(spec: InterfaceSpec): Promise<boolean>;
  remove(ifname: string): Promise<boolean>;
  terminate(): void;
}

/** Parses INTERFACE_ADD's argument as wpa_supplicant_global_iface_add does: null for FAIL. */
export function parseInterfaceAdd(text: string): InterfaceSpec | null {
  const fields = text.split('\t');
  const [ifname = '', confPath, driver, ctrlInterface, driverParam, bridge, extra, type] = fields;
  if (ifname === '') return null;
  const spec: InterfaceSpec = { ifname };
  if (confPath) spec.confPath = confPath;
  if (driver) spec.driver = driver;
  if (ctrlInterface) spec.ctrlInterface = ctrlInterface;
  if (driverParam) spec.driverParam = driverParam;
  if (bridge) spec.bridge = bridge;
  if (extra) {
    if (extra !== 'create') return null;
    if (type !== undefined && type !== 'sta' && type !== 'ap') return null;
    spec.create = type === 'ap' ? 'ap' : 'sta';
  }
  return spec;
}

/** The reply to one request on the global socket (PING, ATTACH, DETACH and LEVEL never get here). */
export async function globalCommand(ctx: CommandContext, registry: GlobalRegistry): Promise<string> {
  const { raw } = ctx;
  if (raw.startsWith('IFNAME=')) {
    const space = raw.indexOf(' ');
    if (space > 0) {
      const ifname = raw.slice(7, space);
      const member = registry.members().find((m) => m.ifname === ifname);
      if (!member) return 'FAIL-NO-IFNAME-MATCH\n';
      const inner = raw.slice(space + 1);
      const [command = '', ...args] = inner.split(' ');
      if (command.toUpperCase() === 'PING') return 'PONG\n';
      return member.handle({ client: ctx.client, command: command.toUpperCase(), args, raw: inner });
    }
  }
  if (raw.startsWith('INTERFACE_ADD ')) {
    const spec = parseInterfaceAdd(raw.slice('INTERFACE_ADD '.length));
    if (!spec || registry.members().some((m) => m.ifname === spec.ifname)) return 'FAIL\n';
    return (await registry.add(spec)) ? 'OK\n' : 'FAIL\n';
  }
  if (raw.startsWith('INTERFACE_REMOVE ')) {
    return (await registry.remove(raw.slice('INTERFACE_REMOVE '.length))) ? 'OK\n' : 'FAIL\n';
  }
  // wpa_supplicant_global_iface_list: the interfaces the drivers offer; neither wired nor the medium lists any.
  if (raw === 'INTERFACE_LIST') return '';
  if (raw.startsWith('INTERFACES')) {
    const withCtrl = raw.slice(10).includes('ctrl');
    return registry
      .members()
      .map((m) => (withCtrl ? `${m.ifname} ctrl_iface=${m.ctrlInterface ?? 'N/A'}\n` : `${m.ifname}\n`))
      .join('');
  }
  if (raw === 'STATUS') {
    // wpas_global_ctrl_iface_status without P2P and Wi-Fi Display, which onboard does not have.
    return registry.members().map((m) => `ifname=${m.ifname}\naddress=${formatMac(m.macAddress)}\n`).join('');
  }
  if (raw === 'TERMINATE') {
    registry.terminate();
    return 'OK\n';
  }
  return 'UNKNOWN COMMAND\n';
}
