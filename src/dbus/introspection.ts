/**
 * The part of wpa_supplicant 2.10's D-Bus API (`fi.w1.wpa_supplicant1`, the "new" API) that onboard
 * serves: interface, method, signal and property descriptions in the reference's order and with its
 * argument names (dbus_new.c: wpas_dbus_global_methods/_signals/_properties,
 * wpas_dbus_interface_*, wpas_dbus_network_*, wpas_dbus_bss_*), and the introspection XML written
 * the way wpa_supplicant writes it (dbus_new_introspect.c: one line, no indentation; children as
 * `<node name=.../>` after the interfaces). Members of the reference that onboard does not serve
 * are left out rather than announced and refused.
 */

export const SERVICE_NAME = 'fi.w1.wpa_supplicant1';
export const ROOT_PATH = '/fi/w1/wpa_supplicant1';
export const ROOT_INTERFACE = 'fi.w1.wpa_supplicant1';
export const INTERFACE_INTERFACE = 'fi.w1.wpa_supplicant1.Interface';
export const WPS_INTERFACE = 'fi.w1.wpa_supplicant1.Interface.WPS';
export const NETWORK_INTERFACE = 'fi.w1.wpa_supplicant1.Network';
export const BSS_INTERFACE = 'fi.w1.wpa_supplicant1.BSS';
export const INTROSPECTABLE = 'org.freedesktop.DBus.Introspectable';
export const PROPERTIES = 'org.freedesktop.DBus.Properties';

export interface ArgDesc {
  name: string;
  type: string;
  direction?: 'in' | 'out';
}
export interface MethodDesc {
  name: string;
  args: ArgDesc[];
}
export interface SignalDesc {
  name: string;
  args: ArgDesc[];
}
export interface PropertyDesc {
  name: string;
  type: string;
  access: 'read' | 'readwrite';
}
export interface InterfaceDesc {
  name: string;
  methods: MethodDesc[];
  signals: SignalDesc[];
  properties: PropertyDesc[];
}

const arg = (name: string, type: string, direction?: 'in' | 'out'): ArgDesc => ({ name, type, ...(direction ? { direction } : {}) });
const read = (name: string, type: string): PropertyDesc => ({ name, type, access: 'read' });
const readwrite = (name: string, type: string): PropertyDesc => ({ name, type, access: 'readwrite' });
/** The deprecated per-interface PropertiesChanged every object of the reference also sends. */
const legacyPropertiesChanged: SignalDesc = { name: 'PropertiesChanged', args: [arg('properties', 'a{sv}')] };

/** org.freedesktop.DBus.Introspectable and .Properties as dbus_new_introspect.c adds them to every object. */
export const STANDARD_INTERFACES: InterfaceDesc[] = [
  { name: INTROSPECTABLE, methods: [{ name: 'Introspect', args: [arg('data', 's', 'out')] }], signals: [], properties: [] },
  {
    name: PROPERTIES,
    methods: [
      { name: 'Get', args: [arg('interface', 's', 'in'), arg('propname', 's', 'in'), arg('value', 'v', 'out')] },
      { name: 'GetAll', args: [arg('interface', 's', 'in'), arg('props', 'a{sv}', 'out')] },
      { name: 'Set', args: [arg('interface', 's', 'in'), arg('propname', 's', 'in'), arg('value', 'v', 'in')] },
    ],
    signals: [],
    properties: [],
  },
];

export const ROOT_DESC: InterfaceDesc = {
  name: ROOT_INTERFACE,
  methods: [
    { name: 'CreateInterface', args: [arg('args', 'a{sv}', 'in'), arg('path', 'o', 'out')] },
    { name: 'RemoveInterface', args: [arg('path', 'o', 'in')] },
    { name: 'GetInterface', args: [arg('ifname', 's', 'in'), arg('path', 'o', 'out')] },
  ],
  signals: [
    { name: 'InterfaceAdded', args: [arg('path', 'o'), arg('properties', 'a{sv}')] },
    { name: 'InterfaceRemoved', args: [arg('path', 'o')] },
    legacyPropertiesChanged,
  ],
  properties: [read('Interfaces', 'ao'), read('EapMethods', 'as'), read('Capabilities', 'as')],
};

export const INTERFACE_DESC: InterfaceDesc = {
  name: INTERFACE_INTERFACE,
  methods: [
    { name: 'Scan', args: [arg('args', 'a{sv}', 'in')] },
    { name: 'Disconnect', args: [] },
    { name: 'AddNetwork', args: [arg('args', 'a{sv}', 'in'), arg('path', 'o', 'out')] },
    { name: 'Reassociate', args: [] },
    { name: 'Reconnect', args: [] },
    { name: 'RemoveNetwork', args: [arg('path', 'o', 'in')] },
    { name: 'RemoveAllNetworks', args: [] },
    { name: 'SelectNetwork', args: [arg('path', 'o', 'in')] },
    { name: 'FlushBSS', args: [arg('age', 'u', 'in')] },
    { name: 'SaveConfig', args: [] },
  ],
  signals: [
    { name: 'ScanDone', args: [arg('success', 'b')] },
    { name: 'BSSAdded', args: [arg('path', 'o'), arg('properties', 'a{sv}')] },
    { name: 'BSSRemoved', args: [arg('path', 'o')] },
    { name: 'NetworkAdded', args: [arg('path', 'o'), arg('properties', 'a{sv}')] },
    { name: 'NetworkRemoved', args: [arg('path', 'o')] },
    { name: 'NetworkSelected', args: [arg('path', 'o')] },
    legacyPropertiesChanged,
    { name: 'EAP', args: [arg('status', 's'), arg('parameter', 's')] },
  ],
  properties: [
    read('State', 's'),
    read('Scanning', 'b'),
    read('Ifname', 's'),
    read('Driver', 's'),
    read('ConfigFile', 's'),
    read('CurrentBSS', 'o'),
    read('CurrentNetwork', 'o'),
    read('BSSs', 'ao'),
    read('Networks', 'ao'),
  ],
};

export const WPS_DESC: InterfaceDesc = {
  name: WPS_INTERFACE,
  methods: [
    { name: 'Start', args: [arg('args', 'a{sv}', 'in'), arg('output', 'a{sv}', 'out')] },
    { name: 'Cancel', args: [] },
  ],
  signals: [
    { name: 'Event', args: [arg('name', 's'), arg('args', 'a{sv}')] },
    { name: 'Credentials', args: [arg('credentials', 'a{sv}')] },
    legacyPropertiesChanged,
  ],
  properties: [readwrite('ProcessCredentials', 'b')],
};

export const NETWORK_DESC: InterfaceDesc = {
  name: NETWORK_INTERFACE,
  methods: [],
  signals: [legacyPropertiesChanged],
  properties: [readwrite('Properties', 'a{sv}'), readwrite('Enabled', 'b')],
};

export const BSS_DESC: InterfaceDesc = {
  name: BSS_INTERFACE,
  methods: [],
  signals: [legacyPropertiesChanged],
  properties: [
    read('SSID', 'ay'),
    read('BSSID', 'ay'),
    read('Privacy', 'b'),
    read('Mode', 's'),
    read('Signal', 'n'),
    read('Frequency', 'q'),
    read('Rates', 'au'),
    read('WPA', 'a{sv}'),
    read('RSN', 'a{sv}'),
    read('WPS', 'a{sv}'),
    read('IEs', 'ay'),
    read('Age', 'u'),
  ],
};

const HEADER = '<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"\n"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">\n';

function argXml(a: ArgDesc): string {
  return `<arg name="${a.name}" type="${a.type}"${a.direction ? ` direction="${a.direction}"` : ''}/>`;
}

function interfaceXml(i: InterfaceDesc): string {
  let out = `<interface name="${i.name}">`;
  for (const m of i.methods) out += m.args.length === 0 ? `<method name="${m.name}"/>` : `<method name="${m.name}">${m.args.map(argXml).join('')}</method>`;
  for (const s of i.signals) out += s.args.length === 0 ? `<signal name="${s.name}"/>` : `<signal name="${s.name}">${s.args.map(argXml).join('')}</signal>`;
  for (const p of i.properties) out += `<property name="${p.name}" type="${p.type}" access="${p.access}"/>`;
  return out + '</interface>';
}

/** An object's XML as wpa_supplicant_introspect builds it (dbus_new_introspect.c). */
export function objectXml(interfaces: readonly InterfaceDesc[], children: readonly string[]): string {
  const body = [...STANDARD_INTERFACES, ...interfaces].map(interfaceXml).join('') + children.map((c) => `<node name="${c}"/>`).join('');
  return `<?xml version="1.0"?>\n${HEADER}<node>${body}</node>\n`;
}

/** A path with no object of its own, only children: libdbus's default answer, indented. */
export function containerXml(children: readonly string[]): string {
  return `${HEADER}<node>\n${children.map((c) => `  <node name="${c}"/>\n`).join('')}</node>\n`;
}
