/**
 * The TLVs we understand, as a table of data (IEEE 1905.1-2013 TLV definitions, Wi-Fi EasyMesh TLV definitions; prplMesh framework/tlvf for the layouts): type,
 * name, length bounds and a value codec per type. Anything else stays an opaque `unknown` TLV that
 * re-encodes byte for byte. Typed TLVs re-encode byte for byte too: reserved bits are kept.
 */
import { DecodeError } from '../util/errors.js';
import type { MacAddress } from '../util/mac.js';
import type { RawTlv } from './cmdu.js';

export enum TlvType {
  EndOfMessage = 0x00,
  AlMacAddress = 0x01,
  MacAddress = 0x02,
  DeviceInformation = 0x03,
  VendorSpecific = 0x0b,
  SearchedRole = 0x0d,
  AutoconfigFreqBand = 0x0e,
  SupportedRole = 0x0f,
  SupportedFreqBand = 0x10,
  Wsc = 0x11,
  SupportedService = 0x80,
  SearchedService = 0x81,
  ApRadioIdentifier = 0x82,
  ApRadioBasicCapabilities = 0x85,
  MultiApProfile = 0xb3,
  Default8021QSettings = 0xb5,
  TrafficSeparationPolicy = 0xb6,
}

/** SearchedRole / SupportedRole value (IEEE 1905.1 Table 6-27): the only role defined is registrar. */
export const ROLE_REGISTRAR = 0x00;
/** AutoconfigFreqBand / SupportedFreqBand values (Table 6-28). */
export const FreqBand = { Band24: 0x00, Band5: 0x01, Band60: 0x02 } as const;
/** SupportedService / SearchedService values (EasyMesh Table 7/8). */
export const Service = { MultiApController: 0x00, MultiApAgent: 0x01 } as const;

export interface OperatingClassCapability {
  opClass: number;
  /** Maximum transmit EIRP, dBm (signed octet on the wire, kept as the unsigned octet). */
  maxTxPower: number;
  nonOperableChannels: number[];
}

export interface LocalInterface {
  mac: MacAddress;
  mediaType: number;
  /** Media-specific information, opaque (its length octet is derived). */
  mediaSpecific: Buffer;
}

export interface TrafficSeparationSsid {
  ssid: Buffer;
  vlanId: number;
}

export type Tlv =
  | { kind: 'alMacAddress'; alMac: MacAddress }
  | { kind: 'macAddress'; mac: MacAddress }
  | { kind: 'deviceInformation'; alMac: MacAddress; interfaces: LocalInterface[] }
  | { kind: 'vendorSpecific'; oui: Buffer; data: Buffer }
  | { kind: 'searchedRole'; role: number }
  | { kind: 'autoconfigFreqBand'; band: number }
  | { kind: 'supportedRole'; role: number }
  | { kind: 'supportedFreqBand'; band: number }
  | { kind: 'wsc'; message: Buffer }
  | { kind: 'supportedService'; services: number[] }
  | { kind: 'searchedService'; services: number[] }
  | { kind: 'apRadioIdentifier'; radioId: MacAddress }
  | { kind: 'apRadioBasicCapabilities'; radioId: MacAddress; maxBss: number; opClasses: OperatingClassCapability[] }
  | { kind: 'multiApProfile'; profile: number }
  /** `reserved` is the low 5 bits of the PCP octet, kept so the TLV re-encodes as received. */
  | { kind: 'default8021QSettings'; primaryVlanId: number; defaultPcp: number; reserved: number }
  | { kind: 'trafficSeparationPolicy'; ssids: TrafficSeparationSsid[] }
  | { kind: 'unknown'; type: number; value: Buffer };

export type TlvKind = Tlv['kind'];
export type TlvOf<K extends TlvKind> = Extract<Tlv, { kind: K }>;

/** A TLV whose value does not fit its type's rules; `offset` is that of the TLV header in its frame. */
export class TlvError extends DecodeError {
  constructor(
    code: string,
    readonly tlvType: number,
    offset: number,
    message: string,
  ) {
    super(code, `TLV 0x${tlvType.toString(16).padStart(2, '0')} (${tlvName(tlvType)})`, offset, message);
  }
}

/** Reads a value left to right; every overrun is a TlvError at the TLV's offset. */
class Reader {
  private pos = 0;
  constructor(
    private readonly value: Buffer,
    private readonly type: number,
    private readonly offset: number,
  ) {}
  private need(n: number, what: string): void {
    if (this.value.length - this.pos < n) {
      throw new TlvError('tlv-value-truncated', this.type, this.offset, `${what} needs ${n} byte(s) at value offset ${this.pos}, ${this.value.length - this.pos} left`);
    }
  }
  u8(what: string): number {
    this.need(1, what);
    return this.value[this.pos++]!;
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.value.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  bytes(n: number, what: string): Buffer {
    this.need(n, what);
    const v = this.value.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  remaining(): number {
    return this.value.length - this.pos;
  }
  end(): void {
    if (this.pos !== this.value.length) {
      throw new TlvError('tlv-value-trailing', this.type, this.offset, `${this.value.length - this.pos} byte(s) after the last field`);
    }
  }
}

interface TlvSpec<K extends TlvKind = TlvKind> {
  type: TlvType;
  kind: K;
  name: string;
  minLength: number;
  maxLength: number;
  decode(r: Reader): TlvOf<K>;
  encode(tlv: TlvOf<K>): Buffer;
}

const mac = (r: Reader, what: string): MacAddress => Buffer.from(r.bytes(6, what));
const u8 = (n: number): Buffer => Buffer.from([n & 0xff]);
const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n & 0xffff);
  return b;
};
/** A count or length octet; more than 255 cannot be said on the wire. */
function octet(n: number, what: string): Buffer {
  if (n > 0xff) throw new RangeError(`${what}: ${n}, at most 255`);
  return u8(n);
}
const counted = (items: { length: number }, what: string): Buffer => octet(items.length, what);

function oneOctet<K extends 'searchedRole' | 'autoconfigFreqBand' | 'supportedRole' | 'supportedFreqBand' | 'multiApProfile'>(
  type: TlvType,
  kind: K,
  name: string,
  field: string,
): TlvSpec<K> {
  return {
    type, kind, name, minLength: 1, maxLength: 1,
    decode: (r) => ({ kind, [field]: r.u8(field) }) as unknown as TlvOf<K>,
    encode: (tlv) => u8((tlv as unknown as Record<string, number>)[field]!),
  };
}

function serviceList<K extends 'supportedService' | 'searchedService'>(type: TlvType, kind: K, name: string): TlvSpec<K> {
  return {
    type, kind, name, minLength: 1, maxLength: 256,
    decode: (r) => {
      const count = r.u8('service count');
      const services = [...r.bytes(count, 'services')];
      return { kind, services } as TlvOf<K>;
    },
    encode: (tlv) => {
      const { services } = tlv as TlvOf<'supportedService' | 'searchedService'>;
      return Buffer.concat([counted(services, name), Buffer.from(services)]);
    },
  };
}

const SPECS: TlvSpec[] = [
  {
    type: TlvType.AlMacAddress, kind: 'alMacAddress', name: '1905.1 AL MAC Address', minLength: 6, maxLength: 6,
    decode: (r) => ({ kind: 'alMacAddress', alMac: mac(r, 'AL MAC') }),
    encode: (tlv) => tlv.alMac,
  } satisfies TlvSpec<'alMacAddress'>,
  {
    type: TlvType.MacAddress, kind: 'macAddress', name: 'MAC Address', minLength: 6, maxLength: 6,
    decode: (r) => ({ kind: 'macAddress', mac: mac(r, 'MAC') }),
    encode: (tlv) => tlv.mac,
  } satisfies TlvSpec<'macAddress'>,
  {
    type: TlvType.DeviceInformation, kind: 'deviceInformation', name: '1905.1 Device Information', minLength: 7, maxLength: 0xffff,
    decode: (r) => {
      const alMac = mac(r, 'AL MAC');
      const count = r.u8('local interface count');
      const interfaces: LocalInterface[] = [];
      for (let i = 0; i < count; i++) {
        const ifMac = mac(r, 'interface MAC');
        const mediaType = r.u16('media type');
        const length = r.u8('media-specific length');
        interfaces.push({ mac: ifMac, mediaType, mediaSpecific: Buffer.from(r.bytes(length, 'media-specific information')) });
      }
      return { kind: 'deviceInformation', alMac, interfaces };
    },
    encode: (tlv) => Buffer.concat([
      tlv.alMac,
      counted(tlv.interfaces, 'local interfaces'),
      ...tlv.interfaces.flatMap((i) => [i.mac, u16(i.mediaType), counted(i.mediaSpecific, 'media-specific information'), i.mediaSpecific]),
    ]),
  } satisfies TlvSpec<'deviceInformation'>,
  {
    type: TlvType.VendorSpecific, kind: 'vendorSpecific', name: 'Vendor Specific', minLength: 3, maxLength: 0xffff,
    decode: (r) => {
      const oui = Buffer.from(r.bytes(3, 'OUI'));
      return { kind: 'vendorSpecific', oui, data: Buffer.from(r.bytes(r.remaining(), 'vendor data')) };
    },
    encode: (tlv) => Buffer.concat([tlv.oui, tlv.data]),
  } satisfies TlvSpec<'vendorSpecific'>,
  oneOctet(TlvType.SearchedRole, 'searchedRole', 'SearchedRole', 'role'),
  oneOctet(TlvType.AutoconfigFreqBand, 'autoconfigFreqBand', 'AutoconfigFreqBand', 'band'),
  oneOctet(TlvType.SupportedRole, 'supportedRole', 'SupportedRole', 'role'),
  oneOctet(TlvType.SupportedFreqBand, 'supportedFreqBand', 'SupportedFreqBand', 'band'),
  {
    type: TlvType.Wsc, kind: 'wsc', name: 'WSC', minLength: 1, maxLength: 0xffff,
    decode: (r) => ({ kind: 'wsc', message: Buffer.from(r.bytes(r.remaining(), 'WSC message')) }),
    encode: (tlv) => tlv.message,
  } satisfies TlvSpec<'wsc'>,
  serviceList(TlvType.SupportedService, 'supportedService', 'Supported Service'),
  serviceList(TlvType.SearchedService, 'searchedService', 'Searched Service'),
  {
    type: TlvType.ApRadioIdentifier, kind: 'apRadioIdentifier', name: 'AP Radio Identifier', minLength: 6, maxLength: 6,
    decode: (r) => ({ kind: 'apRadioIdentifier', radioId: mac(r, 'radio unique identifier') }),
    encode: (tlv) => tlv.radioId,
  } satisfies TlvSpec<'apRadioIdentifier'>,
  {
    type: TlvType.ApRadioBasicCapabilities, kind: 'apRadioBasicCapabilities', name: 'AP Radio Basic Capabilities', minLength: 8, maxLength: 0xffff,
    decode: (r) => {
      const radioId = mac(r, 'radio unique identifier');
      const maxBss = r.u8('max BSS');
      const count = r.u8('operating class count');
      const opClasses: OperatingClassCapability[] = [];
      for (let i = 0; i < count; i++) {
        const opClass = r.u8('operating class');
        const maxTxPower = r.u8('max transmit power');
        const channels = r.u8('non-operable channel count');
        opClasses.push({ opClass, maxTxPower, nonOperableChannels: [...r.bytes(channels, 'non-operable channels')] });
      }
      return { kind: 'apRadioBasicCapabilities', radioId, maxBss, opClasses };
    },
    encode: (tlv) => Buffer.concat([
      tlv.radioId,
      u8(tlv.maxBss),
      counted(tlv.opClasses, 'operating classes'),
      ...tlv.opClasses.flatMap((c) => [u8(c.opClass), u8(c.maxTxPower), counted(c.nonOperableChannels, 'non-operable channels'), Buffer.from(c.nonOperableChannels)]),
    ]),
  } satisfies TlvSpec<'apRadioBasicCapabilities'>,
  oneOctet(TlvType.MultiApProfile, 'multiApProfile', 'Multi-AP Profile', 'profile'),
  {
    type: TlvType.Default8021QSettings, kind: 'default8021QSettings', name: 'Default 802.1Q Settings', minLength: 3, maxLength: 3,
    decode: (r) => {
      const primaryVlanId = r.u16('primary VLAN ID');
      const pcp = r.u8('default PCP');
      return { kind: 'default8021QSettings', primaryVlanId, defaultPcp: pcp >> 5, reserved: pcp & 0x1f };
    },
    encode: (tlv) => Buffer.concat([u16(tlv.primaryVlanId), u8(((tlv.defaultPcp & 0x07) << 5) | (tlv.reserved & 0x1f))]),
  } satisfies TlvSpec<'default8021QSettings'>,
  {
    type: TlvType.TrafficSeparationPolicy, kind: 'trafficSeparationPolicy', name: 'Traffic Separation Policy', minLength: 1, maxLength: 0xffff,
    decode: (r) => {
      const count = r.u8('SSID count');
      const ssids: TrafficSeparationSsid[] = [];
      for (let i = 0; i < count; i++) {
        const length = r.u8('SSID length');
        const ssid = Buffer.from(r.bytes(length, 'SSID'));
        ssids.push({ ssid, vlanId: r.u16('VLAN ID') });
      }
      return { kind: 'trafficSeparationPolicy', ssids };
    },
    encode: (tlv) => Buffer.concat([
      counted(tlv.ssids, 'SSIDs'),
      ...tlv.ssids.flatMap((s) => [counted(s.ssid, 'SSID'), s.ssid, u16(s.vlanId)]),
    ]),
  } satisfies TlvSpec<'trafficSeparationPolicy'>,
] as TlvSpec[];

export const TLV_TABLE: ReadonlyMap<number, Readonly<Pick<TlvSpec, 'type' | 'kind' | 'name' | 'minLength' | 'maxLength'>>> = new Map(SPECS.map((s) => [s.type, s]));
const BY_TYPE = new Map<number, TlvSpec>(SPECS.map((s) => [s.type, s]));
const BY_KIND = new Map<TlvKind, TlvSpec>(SPECS.map((s) => [s.kind, s]));

export function tlvName(type: number): string {
  if (type === TlvType.EndOfMessage) return 'End of Message';
  return BY_TYPE.get(type)?.name ?? 'unknown';
}

/** Typed view of one TLV; an unknown type is kept opaque. Throws TlvError when the value breaks its type's rules. */
export function decodeTlv(raw: RawTlv): Tlv {
  const spec = BY_TYPE.get(raw.type);
  if (!spec) return { kind: 'unknown', type: raw.type, value: Buffer.from(raw.value) };
  const offset = raw.offset ?? 0;
  if (raw.value.length < spec.minLength || raw.value.length > spec.maxLength) {
    const bounds = spec.minLength === spec.maxLength ? `${spec.minLength}` : `${spec.minLength}..${spec.maxLength}`;
    throw new TlvError('tlv-length', raw.type, offset, `length ${raw.value.length}, expected ${bounds}`);
  }
  const reader = new Reader(raw.value, raw.type, offset);
  const tlv = spec.decode(reader);
  reader.end();
  return tlv;
}

export function encodeTlv(tlv: Tlv): RawTlv {
  if (tlv.kind === 'unknown') return { type: tlv.type, value: tlv.value };
  const spec = BY_KIND.get(tlv.kind)!;
  const value = spec.encode(tlv);
  if (value.length < spec.minLength || value.length > spec.maxLength) {
    throw new RangeError(`${spec.name}: value of ${value.length} bytes is outside ${spec.minLength}..${spec.maxLength}`);
  }
  return { type: spec.type, value };
}

export function decodeTlvs(raws: readonly RawTlv[]): Tlv[] {
  return raws.map(decodeTlv);
}

/** The TLVs of one kind, in order. */
export function tlvsOf<K extends TlvKind>(tlvs: readonly Tlv[], kind: K): TlvOf<K>[] {
  return tlvs.filter((t): t is TlvOf<K> => t.kind === kind);
}

export function firstTlv<K extends TlvKind>(tlvs: readonly Tlv[], kind: K): TlvOf<K> | undefined {
  return tlvs.find((t): t is TlvOf<K> => t.kind === kind);
}
