/**
 * `onboard sta -u`: wpa_supplicant 2.10's D-Bus API (`fi.w1.wpa_supplicant1` on the system bus) over
 * the STA daemon, for network managers that drive WPS through it. dbus-next carries the messages
 * (connection, authentication, marshalling); this module is the object tree of dbus_new.c with the
 * reference's handlers, replies, errors and signals, and drives each interface's StaDaemon through
 * its command table, as the reference's handlers call the same functions as its control interface.
 *
 * Beyond the reference, WPS.Start takes `MultiAP` (uint32 profile 1..6): the run is then a Multi-AP
 * backhaul onboarding, as `WPS_PBC multi_ap=N`.
 */
import dbus from 'dbus-next';
import type { Message as DbusMessage, MessageBus } from 'dbus-next';
import type { StaDaemon } from '../daemon/sta-daemon.js';
import type { WpsSuccess } from '../daemon/sta-wps.js';
import type { BssRecord } from '../daemon/bss-info.js';
import { InternalErrorReport } from '../daemon/internal-errors.js';
import { isErrnoError } from '../util/errors.js';
import { ElementId, findElement } from '../ieee80211/index.js';
import { scanResultFlags } from '../daemon/scan-results.js';
import type { Logger } from '../util/logger.js';
import { formatMac } from '../util/mac.js';
import { AuthType, EncrType } from '../wsc/index.js';
import type { InterfaceDesc } from './introspection.js';
import {
  BSS_DESC,
  INTERFACE_DESC,
  INTERFACE_INTERFACE,
  INTROSPECTABLE,
  NETWORK_DESC,
  NETWORK_INTERFACE,
  PROPERTIES,
  ROOT_DESC,
  ROOT_INTERFACE,
  ROOT_PATH,
  SERVICE_NAME,
  WPS_DESC,
  WPS_INTERFACE,
  containerXml,
  objectXml,
} from './introspection.js';
import type { Dict } from './values.js';
import { DbusReplyError, ERROR, invalidArgs, isVariant, networkFieldValue, parseWpsStart, stateName, variant } from './values.js';

const { Message, MessageType, NameFlag, RequestNameReply } = dbus;
type Variant = ReturnType<typeof variant>;

/** One STA interface of the process, as the D-Bus API needs it. */
export interface DbusStaMember {
  ifname: string;
  driver: string;
  confPath: string | null;
  macAddress: Buffer;
  daemon: StaDaemon;
}

/** CreateInterface's arguments (wpas_dbus_handler_create_interface). */
export interface DbusInterfaceSpec {
  ifname: string;
  driver?: string;
  confPath?: string;
  bridge?: string;
}

/** What the process offers the D-Bus API: its interfaces, and adding and removing them. */
export interface DbusStaRegistry {
  members(): DbusStaMember[];
  /** Opens the interface; null (the reason logged) when it cannot be. */
  add(spec: DbusInterfaceSpec): Promise<DbusStaMember | null>;
  remove(ifname: string): Promise<boolean>;
}

/** The interface-level properties whose changes PropertiesChanged reports (wpas_dbus_signal_prop_changed). */
interface InterfaceSnapshot {
  State: string;
  Scanning: boolean;
  CurrentBSS: string;
  CurrentNetwork: string;
}

class InterfaceObject {
  readonly path: string;
  /** BSS table id → reported (BSSAdded) so far. */
  bssIds = new Set<number>();
  networkIds = new Set<number>();
  /** Enabled as last reported, per network id (wpas_dbus_signal_network_enabled_changed). */
  networkEnabled = new Map<number, boolean>();
  snapshot: InterfaceSnapshot | null = null;
  scanning = false;
  constructor(
    readonly index: number,
    readonly member: DbusStaMember,
  ) {
    this.path = `${ROOT_PATH}/Interfaces/${index}`;
  }
  networkPath(id: number): string {
    return `${this.path}/Networks/${id}`;
  }
  bssPath(id: number): string {
    return `${this.path}/BSSs/${id}`;
  }
}

/** The reference's answer to a call whose signature is not the method's: InvalidArgs with no text. */
const WRONG_SIGNATURE = new DbusReplyError(ERROR.DbusInvalidArgs, []);

export class SupplicantDbusService {
  private readonly interfaces = new Map<string, InterfaceObject>();
  private nextIndex = 0;
  private readonly poll: ReturnType<typeof setInterval>;
  private readonly internalErrors: InternalErrorReport;

  private constructor(
    private readonly bus: MessageBus,
    private readonly registry: DbusStaRegistry,
    private readonly log: Logger,
  ) {
    this.internalErrors = new InternalErrorReport((line) => log.error(`D-Bus: ${line}`));
    bus.addMethodHandler((msg: DbusMessage) => this.onCall(msg));
    for (const member of registry.members()) this.attach(member, false);
    // Radio state changes that no event line announces (scanning, associating) reach
    // PropertiesChanged within this delay; event lines refresh at once.
    this.poll = setInterval(() => {
      try {
        this.refreshAll();
      } catch (error) {
        // The timer is a boundary of its own: a bug is reported, and the next tick tries again.
        this.internalErrors.report(error, 'the D-Bus property refresh');
      }
    }, 200);
  }

  /**
   * Connects to the system bus (DBUS_SYSTEM_BUS_ADDRESS, else the standard socket) and owns
   * fi.w1.wpa_supplicant1, as wpas_dbus_init: an error when there is no bus or the name is taken.
   */
  static async start(registry: DbusStaRegistry, log: Logger): Promise<SupplicantDbusService> {
    const bus = dbus.systemBus();
    const failure = new Promise<never>((_, reject) => bus.once('error', (error: Error) => reject(error)));
    let reply: number;
    try {
      reply = await Promise.race([bus.requestName(SERVICE_NAME, NameFlag.DO_NOT_QUEUE), failure]);
    } catch (error) {
      bus.disconnect();
      // No bus (a socket errno) or the bus's refusal (a D-Bus error reply); anything else is a bug.
      if (!isErrnoError(error) && !(error instanceof dbus.DBusError)) throw error;
      throw new DbusStartError(`cannot use the system D-Bus: ${error.message}`);
    }
    if (reply !== RequestNameReply.PRIMARY_OWNER) {
      bus.disconnect();
      throw new DbusStartError(`the D-Bus name ${SERVICE_NAME} is owned by another process (a wpa_supplicant -u?)`);
    }
    bus.on('error', (error: Error) => log.error(`D-Bus: ${error.message}`));
    log.info(`D-Bus: serving ${SERVICE_NAME} at ${ROOT_PATH}`);
    return new SupplicantDbusService(bus, registry, log);
  }

  stop(): void {
    clearInterval(this.poll);
    this.bus.disconnect();
  }

  /** An interface the process opened (at start or by CreateInterface): object registered, InterfaceAdded. */
  attach(member: DbusStaMember, announce = true): InterfaceObject {
    const object = new InterfaceObject(this.nextIndex++, member);
    this.interfaces.set(member.ifname, object);
    for (const network of member.daemon.networkTable()) {
      object.networkIds.add(network.id);
      object.networkEnabled.set(network.id, network.enabled);
    }
    object.snapshot = this.interfaceSnapshot(object);
    for (const bss of member.daemon.bssTable()) object.bssIds.add(bss.id);
    if (announce) this.signal(ROOT_PATH, ROOT_INTERFACE, 'InterfaceAdded', 'oa{sv}', [object.path, this.allProperties(object, INTERFACE_DESC)]);
    return object;
  }

  /** The interface went away (RemoveInterface, or the process closes it): InterfaceRemoved. */
  detach(ifname: string): void {
    const object = this.interfaces.get(ifname);
    if (!object) return;
    this.interfaces.delete(ifname);
    this.signal(ROOT_PATH, ROOT_INTERFACE, 'InterfaceRemoved', 'o', [object.path]);
  }

  /** An event line of an interface: the signals it stands for, then the properties it changed. */
  event(ifname: string, text: string): void {
    const object = this.interfaces.get(ifname);
    if (!object) return;
    if (text.startsWith('CTRL-EVENT-SCAN-STARTED')) object.scanning = true;
    this.refresh(object);
    if (text.startsWith('CTRL-EVENT-SCAN-RESULTS')) {
      object.scanning = false;
      this.refresh(object);
      this.signal(object.path, INTERFACE_INTERFACE, 'ScanDone', 'b', [true]);
    } else if (text.startsWith('CTRL-EVENT-EAP-STATUS ')) {
      // wpas_dbus_signal_eap_status.
      const fields = /^CTRL-EVENT-EAP-STATUS status='(.*)' parameter='(.*)'$/.exec(text);
      if (fields) this.signal(object.path, INTERFACE_INTERFACE, 'EAP', 'ss', [fields[1]!, fields[2]!]);
    } else if (text.startsWith('WPS-SUCCESS')) {
      this.signal(object.path, WPS_INTERFACE, 'Event', 'sa{sv}', ['success', {}]);
    } else if (text.startsWith('WPS-OVERLAP-DETECTED')) {
      this.signal(object.path, WPS_INTERFACE, 'Event', 'sa{sv}', ['pbc-overlap', {}]);
    } else if (text.startsWith('WPS-FAIL ') && /\bmsg=\d+/.test(text)) {
      // wpas_dbus_signal_wps_event_fail: only failures with a message number (a bare WPS-FAIL has none).
      const number = (name: string) => Number(new RegExp(`\\b${name}=(\\d+)`).exec(text)?.[1] ?? 0);
      this.signal(object.path, WPS_INTERFACE, 'Event', 'sa{sv}', [
        'fail',
        { msg: variant('i', number('msg')), config_error: variant('i', number('config_error')), error_indication: variant('i', number('reason')) },
      ]);
    }
  }

  /**
   * wpas_dbus_signal_wps_cred: one Credentials signal per credential received, only with
   * wps_cred_processing 1 or 2 (ProcessCredentials set), as wpa_supplicant_wps_cred sends it.
   */
  credentials(ifname: string, result: WpsSuccess): void {
    const object = this.interfaces.get(ifname);
    if (!object || object.member.daemon.config.globals.wpsCredProcessing === 0) return;
    for (const { credential } of result.credentials) {
      const auth = [
        [AuthType.Open, 'open'],
        [AuthType.WpaPsk, 'wpa-psk'],
        [AuthType.Wpa, 'wpa-eap'],
        [AuthType.Wpa2, 'wpa2-eap'],
        [AuthType.Wpa2Psk, 'wpa2-psk'],
      ] as const;
      const encr = [
        [EncrType.None, 'none'],
        [EncrType.Tkip, 'tkip'],
        [EncrType.Aes, 'aes'],
      ] as const;
      // wpa_s->current_bss: none on a wire (its "association" has no BSS behind it).
      const bssid = this.currentBss(object)?.bssid ?? Buffer.alloc(6);
      this.signal(object.path, WPS_INTERFACE, 'Credentials', 'a{sv}', [
        {
          BSSID: variant('ay', bssid),
          SSID: variant('ay', credential.ssid),
          AuthType: variant('as', auth.filter(([bit]) => (credential.authType & bit) !== 0).map(([, name]) => name)),
          EncrType: variant('as', encr.filter(([bit]) => (credential.encrType & bit) !== 0).map(([, name]) => name)),
          Key: variant('ay', credential.networkKey),
          KeyIndex: variant('u', credential.networkKeyIndex ?? 0),
        },
      ]);
    }
  }

  private refreshAll(): void {
    for (const object of this.interfaces.values()) this.refresh(object);
  }

  /** Sends what changed since the last look: BSSAdded/Removed, NetworkAdded/Removed, PropertiesChanged. */
  private refresh(object: InterfaceObject): void {
    const daemon = object.member.daemon;
    const bssNow = new Map(daemon.bssTable().map((b) => [b.id, b]));
    let bssChanged = false;
    for (const [id, bss] of bssNow) {
      if (object.bssIds.has(id)) continue;
      object.bssIds.add(id);
      bssChanged = true;
      this.signal(object.path, INTERFACE_INTERFACE, 'BSSAdded', 'oa{sv}', [object.bssPath(id), this.bssProperties(bss, object.member.macAddress)]);
    }
    for (const id of [...object.bssIds]) {
      if (bssNow.has(id)) continue;
      object.bssIds.delete(id);
      bssChanged = true;
      this.signal(object.path, INTERFACE_INTERFACE, 'BSSRemoved', 'o', [object.bssPath(id)]);
    }
    const networks = daemon.networkTable();
    for (const network of networks) {
      if (object.networkIds.has(network.id)) continue;
      object.networkIds.add(network.id);
      this.signal(object.path, INTERFACE_INTERFACE, 'NetworkAdded', 'oa{sv}', [object.networkPath(network.id), this.networkProperties(network)]);
    }
    for (const network of networks) {
      const was = object.networkEnabled.get(network.id);
      object.networkEnabled.set(network.id, network.enabled);
      if (was !== undefined && was !== network.enabled) this.propertiesChanged(object.networkPath(network.id), NETWORK_INTERFACE, { Enabled: variant('b', network.enabled) });
    }
    const ids = new Set(networks.map((n) => n.id));
    for (const id of [...object.networkIds]) {
      if (ids.has(id)) continue;
      object.networkIds.delete(id);
      object.networkEnabled.delete(id);
      this.signal(object.path, INTERFACE_INTERFACE, 'NetworkRemoved', 'o', [object.networkPath(id)]);
    }
    const before = object.snapshot;
    const now = this.interfaceSnapshot(object);
    object.snapshot = now;
    const changed: Dict = {};
    if (before) {
      for (const key of Object.keys(now) as (keyof InterfaceSnapshot)[]) {
        if (before[key] !== now[key]) changed[key] = this.interfaceProperty(object, key)!;
      }
    }
    if (bssChanged) changed.BSSs = this.interfaceProperty(object, 'BSSs')!;
    if (Object.keys(changed).length > 0) this.propertiesChanged(object.path, INTERFACE_INTERFACE, changed);
  }

  /** The BSS of the link's association, from the BSS table (a wired link has none). */
  private currentBss(object: InterfaceObject): BssRecord | undefined {
    const { daemon } = object.member;
    const bssid = daemon.linkState().bssid;
    return bssid ? daemon.bssTable().find((b) => b.bssid.equals(bssid)) : undefined;
  }

  private interfaceSnapshot(object: InterfaceObject): InterfaceSnapshot {
    const daemon = object.member.daemon;
    const link = daemon.linkState();
    const current = daemon.currentNetworkId();
    const bss = this.currentBss(object);
    return {
      State: stateName(link.wpaState),
      Scanning: object.scanning || link.wpaState === 'SCANNING',
      CurrentBSS: bss && link.wpaState !== 'DISCONNECTED' && link.wpaState !== 'SCANNING' ? object.bssPath(bss.id) : '/',
      CurrentNetwork: current !== null ? object.networkPath(current) : '/',
    };
  }

  /** wpa_dbus_mark_property_changed's flush: the standard signal, then the deprecated per-interface one. */
  private propertiesChanged(path: string, iface: string, changed: Dict): void {
    this.signal(path, PROPERTIES, 'PropertiesChanged', 'sa{sv}as', [iface, changed, []]);
    this.signal(path, iface, 'PropertiesChanged', 'a{sv}', [changed]);
  }

  private signal(path: string, iface: string, name: string, signature: string, body: unknown[]): void {
    this.bus.send(Message.newSignal(path, iface, name, signature, body));
  }

  // ------------------------------------------------------------------------------------------
  // Method calls

  private onCall(msg: DbusMessage): boolean {
    if (msg.type !== MessageType.METHOD_CALL) return false;
    // org.freedesktop.DBus.Peer (Ping) is answered by the library, as libdbus answers it.
    if (msg.interface === 'org.freedesktop.DBus.Peer') return false;
    // Names only: the arguments may carry keys (AddNetwork's psk, WPS.Start's Pin).
    this.log.debug(`D-Bus: ${msg.interface ?? ''}.${msg.member ?? ''} on ${msg.path ?? ''} from ${msg.sender ?? ''}`);
    void this.dispatch(msg).then(
      (reply) => {
        if (reply) this.bus.send(reply);
      },
      (error: unknown) => {
        if (error instanceof DbusReplyError) {
          this.bus.send(errorReply(msg, error));
          return;
        }
        // A bug, not a protocol result: logged loudly and counted; the caller gets an error
        // instead of silence, and the service goes on serving the others.
        this.internalErrors.report(error, `D-Bus call ${msg.interface ?? ''}.${msg.member ?? ''} on ${msg.path ?? ''}`);
        this.bus.send(errorReply(msg, new DbusReplyError(ERROR.DbusFailed, ['internal error'])));
      },
    );
    return true;
  }

  private async dispatch(msg: DbusMessage): Promise<DbusMessage | null> {
    const path = msg.path ?? '';
    const member = msg.member ?? '';
    const signature = msg.signature ?? '';
    const target = this.objectAt(path);
    if (!target) {
      const children = this.childrenOf(path);
      if (msg.interface === INTROSPECTABLE && member === 'Introspect' && children.length > 0) return reply(msg, 's', [containerXml(children)]);
      // libdbus's answer for a path nobody registered.
      throw new DbusReplyError(ERROR.DbusUnknownMethod, [`Method "${member}" with signature "${signature}" on interface "${msg.interface ?? ''}" doesn't exist\n`]);
    }
    if (msg.interface === INTROSPECTABLE && member === 'Introspect' && signature === '') {
      return reply(msg, 's', [objectXml(target.interfaces, this.childrenOf(path))]);
    }
    if (msg.interface === PROPERTIES) return this.properties(msg, target);
    const desc = target.interfaces.find((i) => i.name === msg.interface) ?? (msg.interface ? undefined : target.interfaces.find((i) => i.methods.some((m) => m.name === member)));
    const method = desc?.methods.find((m) => m.name === member);
    if (!desc || !method) throw new DbusReplyError(ERROR.DbusUnknownMethod, []);
    const expected = method.args.filter((a) => a.direction === 'in').map((a) => a.type).join('');
    if (signature !== expected) throw WRONG_SIGNATURE;
    const body = msg.body as unknown[];
    if (target.kind === 'root') return this.rootCall(msg, member, body);
    if (target.kind === 'interface') return desc.name === WPS_INTERFACE ? this.wpsCall(msg, target.object, member, body) : this.interfaceCall(msg, target.object, member, body);
    throw new DbusReplyError(ERROR.DbusUnknownMethod, []);
  }

  private objectAt(path: string):
    | { kind: 'root'; interfaces: InterfaceDesc[] }
    | { kind: 'interface'; object: InterfaceObject; interfaces: InterfaceDesc[] }
    | { kind: 'network'; object: InterfaceObject; id: number; interfaces: InterfaceDesc[] }
    | { kind: 'bss'; object: InterfaceObject; id: number; interfaces: InterfaceDesc[] }
    | null {
    if (path === ROOT_PATH) return { kind: 'root', interfaces: [ROOT_DESC] };
    const m = /^\/fi\/w1\/wpa_supplicant1\/Interfaces\/(\d+)(?:\/(Networks|BSSs)\/(\d+))?$/.exec(path);
    if (!m) return null;
    const object = [...this.interfaces.values()].find((o) => o.index === Number(m[1]));
    if (!object) return null;
    if (!m[2]) return { kind: 'interface', object, interfaces: [INTERFACE_DESC, WPS_DESC] };
    const id = Number(m[3]);
    if (m[2] === 'Networks') return object.member.daemon.networkTable().some((n) => n.id === id) ? { kind: 'network', object, id, interfaces: [NETWORK_DESC] } : null;
    return object.member.daemon.bssTable().some((b) => b.id === id) ? { kind: 'bss', object, id, interfaces: [BSS_DESC] } : null;
  }

  /** The object paths directly below `path`, as libdbus lists registered children. */
  private childrenOf(path: string): string[] {
    const all: string[] = [ROOT_PATH];
    for (const object of this.interfaces.values()) {
      all.push(object.path);
      for (const n of object.member.daemon.networkTable()) all.push(object.networkPath(n.id));
      for (const b of object.member.daemon.bssTable()) all.push(object.bssPath(b.id));
    }
    const prefix = path === '/' ? '/' : `${path}/`;
    const names: string[] = [];
    for (const p of all) {
      if (!p.startsWith(prefix)) continue;
      const name = p.slice(prefix.length).split('/')[0]!;
      if (!names.includes(name)) names.push(name);
    }
    return names;
  }

  // ------------------------------------------------------------------------------------------
  // Root object (wpas_dbus_handler_create_interface, _remove_interface, _get_interface)

  private async rootCall(msg: DbusMessage, member: string, body: unknown[]): Promise<DbusMessage> {
    switch (member) {
      case 'CreateInterface':
        return reply(msg, 'o', [await this.createInterface(body[0] as Dict)]);
      case 'RemoveInterface': {
        const object = [...this.interfaces.values()].find((o) => o.path === body[0]);
        if (!object) throw new DbusReplyError(ERROR.InterfaceUnknown, ['wpa_supplicant knows nothing about this interface.']);
        const ifname = object.member.ifname;
        if (!(await this.registry.remove(ifname))) throw new DbusReplyError(ERROR.UnknownError, ['wpa_supplicant couldn\'t remove this interface.']);
        this.detach(ifname);
        return reply(msg, '', []);
      }
      case 'GetInterface': {
        const object = this.interfaces.get(body[0] as string);
        if (!object) throw new DbusReplyError(ERROR.InterfaceUnknown, ['wpa_supplicant knows nothing about this interface.']);
        return reply(msg, 'o', [object.path]);
      }
      default:
        throw new DbusReplyError(ERROR.DbusUnknownMethod, []);
    }
  }

  private async createInterface(args: Dict): Promise<string> {
    const spec: Partial<DbusInterfaceSpec> = {};
    for (const [key, value] of Object.entries(args)) {
      const text = value.signature === 's' ? (value.value as string) : null;
      // Any other key or type: the reference's "goto error" (InvalidArgs without an argument).
      if (text === null) throw invalidArgs();
      if (key === 'Ifname') spec.ifname = text;
      else if (key === 'Driver') spec.driver = text;
      else if (key === 'ConfigFile') spec.confPath = text;
      else if (key === 'BridgeIfname') spec.bridge = text;
      else throw invalidArgs();
    }
    if (!spec.ifname) throw invalidArgs();
    if (this.interfaces.has(spec.ifname)) throw new DbusReplyError(ERROR.InterfaceExists, ['wpa_supplicant already controls this interface.']);
    const member = await this.registry.add(spec as DbusInterfaceSpec);
    if (!member) throw new DbusReplyError(ERROR.UnknownError, ['wpa_supplicant couldn\'t grab this interface.']);
    return this.attach(member).path;
  }

  // ------------------------------------------------------------------------------------------
  // Interface object (dbus_new_handlers.c)

  private command(object: InterfaceObject, line: string): Promise<string> {
    const [command = '', ...args] = line.split(' ');
    return object.member.daemon.handle({ client: 'dbus', command, args, raw: line });
  }

  private async interfaceCall(msg: DbusMessage, object: InterfaceObject, member: string, body: unknown[]): Promise<DbusMessage> {
    const done = async (line: string) => {
      await this.command(object, line);
      this.refresh(object);
      return reply(msg, '', []);
    };
    switch (member) {
      case 'Scan':
        await this.scan(object, body[0] as Dict);
        return reply(msg, '', []);
      case 'Disconnect':
        // wpas_dbus_handler_disconnect: only with a network in use.
        if (object.member.daemon.currentNetworkId() === null && object.member.daemon.linkState().wpaState === 'DISCONNECTED') {
          throw new DbusReplyError(ERROR.NotConnected, ['This interface is not connected']);
        }
        return done('DISCONNECT');
      case 'AddNetwork':
        return reply(msg, 'o', [await this.addNetwork(object, body[0] as Dict)]);
      case 'Reassociate':
        return done('REASSOCIATE');
      case 'Reconnect':
        return done('RECONNECT');
      case 'RemoveNetwork':
        await this.command(object, `REMOVE_NETWORK ${this.networkIdOf(object, body[0] as string)}`);
        this.refresh(object);
        return reply(msg, '', []);
      case 'RemoveAllNetworks':
        return done('REMOVE_NETWORK all');
      case 'SelectNetwork': {
        const id = this.networkIdOf(object, body[0] as string);
        await this.command(object, `SELECT_NETWORK ${id}`);
        this.signal(object.path, INTERFACE_INTERFACE, 'NetworkSelected', 'o', [object.networkPath(id)]);
        this.refresh(object);
        return reply(msg, '', []);
      }
      case 'FlushBSS':
        return done(`BSS_FLUSH ${body[0] as number}`);
      case 'SaveConfig':
        if ((await this.command(object, 'SAVE_CONFIG')) !== 'OK\n') throw new DbusReplyError(ERROR.UnknownError, ['Not allowed to update configuration (update_config=0)']);
        return reply(msg, '', []);
      default:
        throw new DbusReplyError(ERROR.DbusUnknownMethod, []);
    }
  }

  /**
   * A network object path of this interface, as the reference resolves it: InvalidArgs naming the
   * path for one that is not a network of this interface, NetworkUnknown for an id it has not.
   */
  private networkIdOf(object: InterfaceObject, path: string): number {
    const m = new RegExp(`^${object.path}/Networks/(\\d+)$`).exec(path);
    if (!m) throw invalidArgs(path);
    const id = Number(m[1]);
    if (!object.member.daemon.networkTable().some((n) => n.id === id)) throw new DbusReplyError(ERROR.NetworkUnknown, ['There is no such a network in this interface.']);
    return id;
  }

  /** wpas_dbus_handler_scan: Type (active|passive) required; SSIDs, IEs, Channels, AllowRoam not supported here. */
  private async scan(object: InterfaceObject, args: Dict): Promise<void> {
    let type: string | undefined;
    for (const [key, value] of Object.entries(args)) {
      if (key !== 'Type') throw invalidArgs(key);
      if (value.signature !== 's') throw invalidArgs('Wrong Type value type. String required');
      type = value.value as string;
      if (type !== 'active' && type !== 'passive') throw invalidArgs('Wrong scan type');
    }
    if (type === undefined) throw invalidArgs();
    const answer = await this.command(object, 'SCAN');
    // The wired link scans nothing, as wpa_supplicant -Dwired; a busy radio already has a scan under way.
    if (answer === 'FAIL\n') this.log.debug(`D-Bus: ${object.member.ifname}: Scan on a link without scans`);
  }

  /**
   * wpas_dbus_handler_add_network: a new network (NetworkAdded), then each entry set as
   * set_network_properties does; a bad entry removes the network again (NetworkRemoved) and the
   * reply is "invalid message format".
   */
  private async addNetwork(object: InterfaceObject, args: Dict): Promise<string> {
    const id = Number((await this.command(object, 'ADD_NETWORK')).trim());
    this.refresh(object);
    try {
      await this.setNetworkFields(object, id, args);
    } catch (error) {
      await this.command(object, `REMOVE_NETWORK ${id}`);
      this.refresh(object);
      throw error;
    }
    return object.networkPath(id);
  }

  private async setNetworkFields(object: InterfaceObject, id: number, args: Dict): Promise<void> {
    for (const [name, value] of Object.entries(args)) {
      const text = networkFieldValue(name, value);
      if (text === null || (await this.command(object, `SET_NETWORK ${id} ${name} ${text}`)) !== 'OK\n') {
        throw new DbusReplyError(ERROR.DbusInvalidArgs, ['invalid message format']);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // WPS (dbus_new_handlers_wps.c)

  private async wpsCall(msg: DbusMessage, object: InterfaceObject, member: string, body: unknown[]): Promise<DbusMessage> {
    if (member === 'Cancel') {
      await this.command(object, 'WPS_CANCEL');
      this.refresh(object);
      return reply(msg, '', []);
    }
    const request = parseWpsStart(body[0] as Dict);
    const target = request.bssid ? formatMac(request.bssid) : 'any';
    const multiApArgument = request.multiApProfile !== undefined ? ` multi_ap=${request.multiApProfile}` : '';
    const line = request.type === 'pbc' ? `WPS_PBC${request.bssid ? ` ${target}` : ''}${multiApArgument}` : `WPS_PIN ${target}${request.pin !== undefined ? ` ${request.pin}` : ''}${multiApArgument}`;
    const answer = await this.command(object, line);
    if (answer === 'FAIL\n') throw new DbusReplyError(ERROR.UnknownError, ['WPS start failed']);
    this.refresh(object);
    // The generated PIN comes back as "Pin"; a PIN given by the caller is not repeated.
    const output: Dict = request.type === 'pin' && request.pin === undefined ? { Pin: variant('s', answer.trim()) } : {};
    return reply(msg, 'a{sv}', [output]);
  }

  // ------------------------------------------------------------------------------------------
  // Properties (wpa_dbus_properties_*: Get, GetAll, Set)

  private async properties(msg: DbusMessage, target: NonNullable<ReturnType<SupplicantDbusService['objectAt']>>): Promise<DbusMessage> {
    const member = msg.member ?? '';
    const signature = msg.signature ?? '';
    const body = msg.body as unknown[];
    const noSuchProperty = new DbusReplyError(ERROR.DbusInvalidArgs, ['No such property']);
    if (member === 'GetAll' && signature === 's') {
      const desc = target.interfaces.find((i) => i.name === body[0]);
      return reply(msg, 'a{sv}', [desc ? this.propertiesOf(target, desc) : {}]);
    }
    if (member === 'Get' && signature === 'ss') {
      const desc = target.interfaces.find((i) => i.name === body[0]);
      const value = desc?.properties.some((p) => p.name === body[1]) ? this.property(target, desc.name, body[1] as string) : undefined;
      if (!value) throw noSuchProperty;
      return reply(msg, 'v', [value]);
    }
    if (member === 'Set' && signature === 'ssv') {
      const desc = target.interfaces.find((i) => i.name === body[0]);
      const property = desc?.properties.find((p) => p.name === body[1]);
      if (!desc || !property) throw noSuchProperty;
      if (property.access !== 'readwrite') throw new DbusReplyError(ERROR.DbusInvalidArgs, ['Property is read-only']);
      const value = body[2];
      if (!isVariant(value) || value.signature !== property.type) throw new DbusReplyError(ERROR.DbusFailed, ['wrong property type']);
      await this.setProperty(target, property.name, value);
      return reply(msg, '', []);
    }
    throw new DbusReplyError(ERROR.DbusUnknownMethod, [`Method "${member}" with signature "${signature}" on interface "${PROPERTIES}" doesn't exist\n`]);
  }

  private propertiesOf(target: NonNullable<ReturnType<SupplicantDbusService['objectAt']>>, desc: InterfaceDesc): Dict {
    const out: Dict = {};
    for (const p of desc.properties) {
      const value = this.property(target, desc.name, p.name);
      if (value) out[p.name] = value;
    }
    return out;
  }

  private allProperties(object: InterfaceObject, desc: InterfaceDesc): Dict {
    return this.propertiesOf({ kind: 'interface', object, interfaces: [INTERFACE_DESC, WPS_DESC] }, desc);
  }

  private property(target: NonNullable<ReturnType<SupplicantDbusService['objectAt']>>, iface: string, name: string): Variant | undefined {
    switch (target.kind) {
      case 'root':
        if (name === 'Interfaces') return variant('ao', [...this.interfaces.values()].sort((a, b) => a.index - b.index).map((o) => o.path));
        if (name === 'EapMethods') return variant('as', ['WSC']);
        if (name === 'Capabilities') return variant('as', []);
        return undefined;
      case 'interface':
        if (iface === WPS_INTERFACE) {
          return name === 'ProcessCredentials' ? variant('b', target.object.member.daemon.config.globals.wpsCredProcessing !== 1) : undefined;
        }
        return this.interfaceProperty(target.object, name);
      case 'network': {
        const network = target.object.member.daemon.networkTable().find((n) => n.id === target.id);
        if (!network) return undefined;
        if (name === 'Enabled') return variant('b', network.enabled);
        if (name === 'Properties') return variant('a{sv}', this.networkProperties(network).Properties!.value);
        return undefined;
      }
      case 'bss': {
        const bss = target.object.member.daemon.bssTable().find((b) => b.id === target.id);
        return bss ? this.bssProperties(bss, target.object.member.macAddress)[name] : undefined;
      }
    }
  }

  private interfaceProperty(object: InterfaceObject, name: string): Variant | undefined {
    const member = object.member;
    const snapshot = this.interfaceSnapshot(object);
    switch (name) {
      case 'State':
        return variant('s', snapshot.State);
      case 'Scanning':
        return variant('b', snapshot.Scanning);
      case 'Ifname':
        return variant('s', member.ifname);
      case 'Driver':
        return variant('s', member.driver);
      case 'ConfigFile':
        return variant('s', member.confPath ?? '');
      case 'CurrentBSS':
        return variant('o', snapshot.CurrentBSS);
      case 'CurrentNetwork':
        return variant('o', snapshot.CurrentNetwork);
      case 'BSSs':
        return variant('ao', member.daemon.bssTable().map((b) => object.bssPath(b.id)));
      case 'Networks':
        return variant('ao', member.daemon.networkTable().map((n) => object.networkPath(n.id)));
      default:
        return undefined;
    }
  }

  private async setProperty(target: NonNullable<ReturnType<SupplicantDbusService['objectAt']>>, name: string, value: Variant): Promise<void> {
    if (target.kind === 'interface' && name === 'ProcessCredentials') {
      // wpas_dbus_setter_process_credentials: true → wps_cred_processing=2, false → 1.
      await this.command(target.object, `SET wps_cred_processing ${value.value ? 2 : 1}`);
      return;
    }
    if (target.kind === 'network' && name === 'Enabled') {
      await this.command(target.object, `${value.value ? 'ENABLE' : 'DISABLE'}_NETWORK ${target.id}`);
      this.refresh(target.object);
      return;
    }
    if (target.kind === 'network' && name === 'Properties') {
      await this.setNetworkFields(target.object, target.id, value.value as Dict);
      return;
    }
    throw new DbusReplyError(ERROR.DbusInvalidArgs, ['Property is read-only']);
  }

  /** A network's properties: every field as a string (wpas_dbus_getter_network_properties), and Enabled. */
  private networkProperties(network: { enabled: boolean; fields: Map<string, string> }): Dict {
    const fields: Dict = {};
    for (const [name, value] of network.fields) fields[name] = variant('s', value);
    return { Properties: variant('a{sv}', fields), Enabled: variant('b', network.enabled) };
  }

  /** A BSS's properties as wpas_dbus_getter_bss_* compute them from its last Beacon or Probe Response. */
  private bssProperties(bss: BssRecord, ownMac: Buffer): Dict {
    const rates: number[] = [];
    for (const id of [ElementId.SupportedRates, ElementId.ExtendedSupportedRates]) {
      const element = findElement(bss.elements, id);
      if (element) for (const byte of element.data) rates.push((byte & 0x7f) * 500000);
    }
    rates.sort((a, b) => b - a);
    const rsn = findElement(bss.elements, ElementId.Rsn);
    // wpas_dbus_getter_bss_wps: "pbc" or "pin" while the AP's Registrar has that method selected.
    const flags = scanResultFlags(bss, ownMac);
    const wpsType = flags.includes('[WPS-PBC]') ? 'pbc' : flags.includes('[WPS-PIN]') || flags.includes('[WPS-AUTH]') ? 'pin' : '';
    return {
      SSID: variant('ay', bss.ssid),
      BSSID: variant('ay', bss.bssid),
      Privacy: variant('b', (bss.capability & 0x0010) !== 0),
      Mode: variant('s', (bss.capability & 0x0002) !== 0 ? 'ad-hoc' : 'infrastructure'),
      Signal: variant('n', bss.level),
      Frequency: variant('q', bss.frequency),
      Rates: variant('au', rates),
      WPA: variant('a{sv}', {}),
      RSN: variant('a{sv}', rsn ? { KeyMgmt: variant('as', ['wpa-psk']), Pairwise: variant('as', ['ccmp']), Group: variant('s', 'ccmp') } : {}),
      WPS: variant('a{sv}', { Type: variant('s', wpsType) }),
      IEs: variant('ay', Buffer.concat(bss.elements.map((e) => Buffer.from([e.id, e.data.length, ...e.data])))),
      Age: variant('u', bss.ageSeconds),
    };
  }
}

export class DbusStartError extends Error {
  override name = 'DbusStartError';
}

function reply(msg: DbusMessage, signature: string, body: unknown[]): DbusMessage {
  return Message.newMethodReturn(msg, signature, body);
}

function errorReply(msg: DbusMessage, error: DbusReplyError): DbusMessage {
  const out = Message.newError(msg as unknown as string, error.errorName, error.body[0] ?? '');
  out.signature = 's'.repeat(error.body.length);
  out.body = error.body;
  return out;
}
