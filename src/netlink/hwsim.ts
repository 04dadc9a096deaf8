/**
 * The MAC80211_HWSIM generic netlink family (the kernel's drivers/net/wireless/mac80211_hwsim.h):
 * what a userspace medium such as wmediumd exchanges with mac80211_hwsim radios. Once a medium
 * sent HWSIM_CMD_REGISTER, the kernel hands it every frame a radio transmits (HWSIM_CMD_FRAME with
 * the transmitter's hwsim address, a cookie and the TX rates), delivers nothing itself, and waits
 * for the medium to inject frames into receivers (HWSIM_CMD_FRAME with HWSIM_ATTR_ADDR_RECEIVER)
 * and to report each transmission's status (HWSIM_CMD_TX_INFO_FRAME, with HWSIM_TX_STAT_ACK when
 * the frame was acknowledged). Radios are addressed by their hwsim address: radio N's permanent
 * address 02:00:00:00:NN:00 with 0x40 in its first octet (42:00:00:00:NN:00).
 */
import { DecodeError } from '../util/errors.js';
import type { Attribute, NetlinkMessage } from './netlink.js';
import {
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_REQUEST,
  decodeAttributes,
  decodeGenericPayload,
  genericRequest,
  readString,
  readU32,
  s32Attribute,
  u32Attribute,
  u64Attribute,
} from './netlink.js';

export const HWSIM_FAMILY_NAME = 'MAC80211_HWSIM';

export enum HwsimCommand {
  Register = 1,
  Frame = 2,
  TxInfoFrame = 3,
  NewRadio = 4,
  DelRadio = 5,
  GetRadio = 6,
  AddMacAddr = 7,
  DelMacAddr = 8,
}

export enum HwsimAttr {
  AddrReceiver = 1,
  AddrTransmitter = 2,
  Frame = 3,
  Flags = 4,
  RxRate = 5,
  Signal = 6,
  TxInfo = 7,
  Cookie = 8,
  Channels = 9,
  RadioId = 10,
  RadioName = 17,
  Freq = 19,
  PermAddr = 22,
}

export const HWSIM_TX_CTL_REQ_TX_STATUS = 0x1;
export const HWSIM_TX_CTL_NO_ACK = 0x2;
export const HWSIM_TX_STAT_ACK = 0x4;

/** IEEE80211_TX_MAX_RATES entries of struct hwsim_tx_rate { s8 idx; u8 count; }. */
export const HWSIM_TX_RATES = 4;

const STRUCTURE = 'hwsim message';

export interface HwsimTxRate {
  /** Index into the band's bitrate table, -1 for an unused entry. */
  index: number;
  count: number;
}

/** A frame a radio transmitted, as the kernel hands it to the registered medium. */
export interface HwsimTxFrame {
  command: HwsimCommand.Frame;
  transmitter: Buffer;
  frame: Buffer;
  flags: number;
  cookie: bigint;
  /** MHz; absent on kernels before 4.x, then the radio's only channel is meant. */
  frequency?: number;
  rates: HwsimTxRate[];
}

/** The kernel's notice that a radio got (or lost) an interface address: a vif's MAC. */
export interface HwsimMacAddress {
  command: HwsimCommand.AddMacAddr | HwsimCommand.DelMacAddr;
  /** The radio's hwsim address. */
  radio: Buffer;
  address: Buffer;
}

/** One radio of a HWSIM_CMD_GET_RADIO dump. */
export interface HwsimRadioInfo {
  command: HwsimCommand.GetRadio;
  id: number;
  name: string;
}

export type HwsimMessage = HwsimTxFrame | HwsimMacAddress | HwsimRadioInfo;

function mac(attributes: Map<number, Buffer>, type: HwsimAttr, name: string): Buffer {
  const value = attributes.get(type);
  if (value === undefined) throw new DecodeError('hwsim-missing', STRUCTURE, 0, `no ${name}`);
  if (value.length !== 6) throw new DecodeError('hwsim-address', STRUCTURE, 0, `${name} has ${value.length} bytes, an address has 6`);
  return Buffer.from(value);
}

/** A message from the kernel in the hwsim family; null for commands a medium has no use for. */
export function decodeHwsim(message: NetlinkMessage): HwsimMessage | null {
  const genl = decodeGenericPayload(message.payload);
  const attributes = decodeAttributes(genl.attributes, STRUCTURE);
  switch (genl.command as HwsimCommand) {
    case HwsimCommand.Frame: {
      const frame = attributes.get(HwsimAttr.Frame);
      if (frame === undefined) throw new DecodeError('hwsim-missing', STRUCTURE, 0, 'no HWSIM_ATTR_FRAME');
      const cookie = attributes.get(HwsimAttr.Cookie);
      if (cookie === undefined || cookie.length !== 8) throw new DecodeError('hwsim-cookie', STRUCTURE, 0, 'HWSIM_ATTR_COOKIE missing or not 8 bytes');
      const txInfo = attributes.get(HwsimAttr.TxInfo) ?? Buffer.alloc(0);
      const rates: HwsimTxRate[] = [];
      for (let i = 0; i + 1 < txInfo.length && rates.length < HWSIM_TX_RATES; i += 2) rates.push({ index: txInfo.readInt8(i), count: txInfo[i + 1]! });
      const frequency = readU32(attributes, HwsimAttr.Freq, STRUCTURE, 'HWSIM_ATTR_FREQ');
      return {
        command: HwsimCommand.Frame,
        transmitter: mac(attributes, HwsimAttr.AddrTransmitter, 'HWSIM_ATTR_ADDR_TRANSMITTER'),
        frame: Buffer.from(frame),
        flags: readU32(attributes, HwsimAttr.Flags, STRUCTURE, 'HWSIM_ATTR_FLAGS') ?? 0,
        cookie: cookie.readBigUInt64LE(0),
        ...(frequency !== undefined ? { frequency } : {}),
        rates,
      };
    }
    case HwsimCommand.AddMacAddr:
    case HwsimCommand.DelMacAddr:
      return {
        command: genl.command as HwsimCommand.AddMacAddr | HwsimCommand.DelMacAddr,
        radio: mac(attributes, HwsimAttr.AddrTransmitter, 'HWSIM_ATTR_ADDR_TRANSMITTER'),
        address: mac(attributes, HwsimAttr.AddrReceiver, 'HWSIM_ATTR_ADDR_RECEIVER'),
      };
    case HwsimCommand.GetRadio: {
      const id = readU32(attributes, HwsimAttr.RadioId, STRUCTURE, 'HWSIM_ATTR_RADIO_ID');
      if (id === undefined) throw new DecodeError('hwsim-missing', STRUCTURE, 0, 'no HWSIM_ATTR_RADIO_ID');
      return { command: HwsimCommand.GetRadio, id, name: readString(attributes, HwsimAttr.RadioName) ?? '' };
    }
    default:
      return null;
  }
}

/** mac80211_hwsim's addresses for radio `id`: permanent 02:00:00:II:II:00, hwsim 42:00:00:II:II:00. */
export function hwsimRadioAddresses(id: number): { permanent: Buffer; hwsim: Buffer } {
  const permanent = Buffer.from([0x02, 0, 0, (id >> 8) & 0xff, id & 0xff, 0]);
  const hwsim = Buffer.from(permanent);
  hwsim[0] = hwsim[0]! | 0x40;
  return { permanent, hwsim };
}

/** The permanent address of the radio a hwsim address names (the 0x40 bit cleared). */
export function permanentFromHwsim(hwsim: Buffer): Buffer {
  const out = Buffer.from(hwsim);
  out[0] = out[0]! & ~0x40;
  return out;
}

export function registerRequest(family: number, seq: number): Buffer {
  return genericRequest(family, HwsimCommand.Register, [], seq, NLM_F_REQUEST | NLM_F_ACK);
}

export function getRadiosRequest(family: number, seq: number): Buffer {
  return genericRequest(family, HwsimCommand.GetRadio, [], seq, NLM_F_REQUEST | NLM_F_DUMP);
}

/** A frame for one receiving radio (hwsim_cloned_frame_received_nl); `rateIndex` in the band's bitrate table. */
export function rxFrameRequest(family: number, seq: number, rx: { receiver: Buffer; frame: Buffer; rateIndex: number; signal: number; frequency: number }): Buffer {
  const attributes: Attribute[] = [
    { type: HwsimAttr.AddrReceiver, value: rx.receiver },
    { type: HwsimAttr.Frame, value: rx.frame },
    u32Attribute(HwsimAttr.RxRate, rx.rateIndex),
    s32Attribute(HwsimAttr.Signal, rx.signal),
    u32Attribute(HwsimAttr.Freq, rx.frequency),
  ];
  return genericRequest(family, HwsimCommand.Frame, attributes, seq);
}

/**
 * The status of one transmission (hwsim_tx_info_frame_received_nl): the first rate tried once, the
 * others unused, HWSIM_TX_STAT_ACK added when a receiver acknowledged the frame.
 */
export function txInfoRequest(family: number, seq: number, tx: HwsimTxFrame, status: { acked: boolean; signal: number }): Buffer {
  const rates = Buffer.alloc(HWSIM_TX_RATES * 2);
  for (let i = 0; i < HWSIM_TX_RATES; i++) {
    rates.writeInt8(i === 0 ? (tx.rates[0]?.index ?? 0) : -1, 2 * i);
    rates[2 * i + 1] = i === 0 ? 1 : 0;
  }
  const flags = (tx.flags & ~HWSIM_TX_STAT_ACK) | (status.acked ? HWSIM_TX_STAT_ACK : 0);
  const attributes: Attribute[] = [
    { type: HwsimAttr.AddrTransmitter, value: tx.transmitter },
    u32Attribute(HwsimAttr.Flags, flags),
    s32Attribute(HwsimAttr.Signal, status.signal),
    { type: HwsimAttr.TxInfo, value: rates },
    u64Attribute(HwsimAttr.Cookie, tx.cookie),
  ];
  return genericRequest(family, HwsimCommand.TxInfoFrame, attributes, seq);
}

/** 802.11 bitrates (500 kb/s units) by mac80211_hwsim's rate index: 2.4 GHz has the four DSSS rates first. */
const RATES_24 = [2, 4, 11, 22, 12, 18, 24, 36, 48, 72, 96, 108];
const RATES_5 = [12, 18, 24, 36, 48, 72, 96, 108];

export function rateFromIndex(index: number, frequency: number): number {
  const table = frequency < 3000 ? RATES_24 : RATES_5;
  return table[index] ?? table[0]!;
}

/** The index of `rate` (500 kb/s units) in the band's table; the lowest rate when it has none. */
export function indexFromRate(rate: number, frequency: number): number {
  const table = frequency < 3000 ? RATES_24 : RATES_5;
  const index = table.indexOf(rate);
  return index < 0 ? 0 : index;
}
