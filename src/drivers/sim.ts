/**
 * The `sim` driver: a radio on an `onboard medium` hub in another process. Parameters come as the
 * references pass driver parameters (wpa_supplicant `-p`, hostapd `driver_params=`), comma
 * separated: `medium=PATH` (required), `mac=XX:XX:..` (default: derived from the interface name),
 * `channel=N` (default 6), `band=2.4|5|6` (default: 2.4 GHz for channels 1..14, else 5 GHz), `scan=active|passive` (STA: Probe Requests, or Beacons only; default active).
 */
import { createHash } from 'node:crypto';
import type { Band } from '../ieee80211/radiotap.js';
import { connectRadio } from '../sim/medium-client.js';
import type { RadioPort, RxInfo } from '../sim/medium.js';
import { OnboardError } from '../util/errors.js';
import { isMacText, parseMac } from '../util/mac.js';

export const DEFAULT_SIM_CHANNEL = 6;

export interface SimParams {
  medium: string;
  mac?: Buffer;
  /** Default 6 (a STA's channel; an AP takes `channel=` of its file and uses this for automatic selection only). */
  channel?: number;
  band?: Band;
  passiveScan?: boolean;
}

export function parseSimParams(text: string | undefined): SimParams {
  const params: Partial<SimParams> = {};
  for (const item of (text ?? '').split(',').filter((s) => s.trim() !== '')) {
    const eq = item.indexOf('=');
    const name = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (eq < 0) throw new OnboardError('sim-params', `driver parameter "${item}" is not name=value`);
    if (name === 'medium') params.medium = value;
    else if (name === 'mac') {
      if (!isMacText(value)) throw new OnboardError('sim-params', `driver parameter mac=${value} is not a MAC address`);
      params.mac = parseMac(value);
    } else if (name === 'channel') {
      const channel = Number(value);
      if (!Number.isInteger(channel) || channel < 1 || channel > 196) throw new OnboardError('sim-params', `driver parameter channel=${value} is not a channel number`);
      params.channel = channel;
    } else if (name === 'band') {
      if (value !== '2.4' && value !== '5' && value !== '6') throw new OnboardError('sim-params', `driver parameter band=${value} (2.4, 5 or 6)`);
      params.band = value;
    } else if (name === 'scan') {
      if (value !== 'active' && value !== 'passive') throw new OnboardError('sim-params', `driver parameter scan=${value} (active or passive)`);
      params.passiveScan = value === 'passive';
    } else throw new OnboardError('sim-params', `unknown driver parameter "${name}" (known: medium, mac, channel, band, scan)`);
  }
  if (!params.medium) throw new OnboardError('sim-params', 'driver sim needs medium=PATH (the socket of `onboard medium`)');
  return params as SimParams;
}

/** A stable, locally administered unicast address for an interface name (so restarts keep it). */
export function macFromName(name: string): Buffer {
  const mac = createHash('sha256').update(`onboard:${name}`).digest().subarray(0, 6);
  mac[0] = (mac[0]! & 0xfc) | 0x02;
  mac[5] = mac[5]! & 0xf0; // room for further BSSIDs of the same radio
  return Buffer.from(mac);
}

export async function openSimRadio(name: string, params: SimParams, deliver: (frame: Buffer, info: RxInfo) => void, onError: (error: Error) => void): Promise<RadioPort> {
  try {
    return await connectRadio(params.medium, { mac: params.mac ?? macFromName(name), channel: params.channel ?? DEFAULT_SIM_CHANNEL, ...(params.band ? { band: params.band } : {}), name }, deliver, onError);
  } catch (error) {
    throw new OnboardError('sim-connect', `cannot reach the medium at ${params.medium}: ${(error as Error).message} (is \`onboard medium --socket ${params.medium}\` running?)`);
  }
}
