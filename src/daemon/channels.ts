/**
 * Channels of the simulated radio, as hostapd's hw_mode/channel pair selects them
 * (hw_features.c hostapd_select_hw_mode): 2.4 GHz for hw_mode b and g, 5 GHz for hw_mode a.
 * The medium keeps radios apart by channel number, which 2.4 and 5 GHz do not share.
 */
import type { HostapdRadio } from '../config/index.js';
import { channelFrequency } from '../ieee80211/radiotap.js';

export { channelFrequency };

/** The 20 MHz 5 GHz channels of the world regulatory domains mac80211_hwsim offers. */
const CHANNELS_5GHZ = new Set([36, 40, 44, 48, 52, 56, 60, 64, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 144, 149, 153, 157, 161, 165, 169, 173, 177]);

/** The channel of a frequency in MHz (2.4 or 5 GHz), or null. */
export function frequencyChannel(freq: number): number | null {
  if (freq === 2484) return 14;
  if (freq >= 2412 && freq <= 2472 && (freq - 2407) % 5 === 0) return (freq - 2407) / 5;
  if (freq > 5000 && freq < 5900 && (freq - 5000) % 5 === 0 && CHANNELS_5GHZ.has((freq - 5000) / 5)) return (freq - 5000) / 5;
  return null;
}

/** Whether `channel` belongs to the band of `hw_mode` (channel 14 is 802.11b only). */
export function channelInMode(channel: number, hwMode: HostapdRadio['hwMode']): boolean {
  switch (hwMode) {
    case 'b':
      return channel >= 1 && channel <= 14;
    case 'g':
      return channel >= 1 && channel <= 13;
    case 'a':
      return CHANNELS_5GHZ.has(channel);
    case 'any':
      return (channel >= 1 && channel <= 14) || CHANNELS_5GHZ.has(channel);
    default:
      return false;
  }
}

/**
 * The channel a `driver=sim` AP runs on: `channel=` of the file; with channel=0 or acs_survey
 * (automatic selection) the driver's `channel=` parameter when it fits hw_mode, else the first
 * channel of the band. An error text when the pair cannot run, as hostapd refuses to start.
 */
export function simOperatingChannel(radio: HostapdRadio, driverChannel: number | undefined): number | string {
  if (radio.hwMode === 'ad') return 'hw_mode=ad (60 GHz) is not supported by the sim driver (a, b, g or any)';
  const configured = radio.channel ?? 0;
  if (configured === 0) {
    if (driverChannel !== undefined && channelInMode(driverChannel, radio.hwMode)) return driverChannel;
    return radio.hwMode === 'a' ? 36 : 6;
  }
  if (!channelInMode(configured, radio.hwMode)) {
    return `Configured channel (${configured}) not found from the channel list of current mode (hw_mode=${radio.hwMode})`;
  }
  return configured;
}
