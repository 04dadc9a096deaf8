/**
 * A minimal radiotap header (https://www.radiotap.org) for captures: flags, rate, channel
 * (frequency + 2.4 GHz OFDM flags) and antenna signal, so a pcap of the medium (link type 127)
 * opens in Wireshark like an over-the-air capture.
 */
export const LINKTYPE_IEEE802_11_RADIOTAP = 127;

const PRESENT_FLAGS = 1 << 1;
const PRESENT_RATE = 1 << 2;
const PRESENT_CHANNEL = 1 << 3;
const PRESENT_SIGNAL = 1 << 5;

export type Band = '2.4' | '5' | '6';

/** Centre frequency (MHz) of a channel; without a band, 1..14 are 2.4 GHz and the rest 5 GHz. */
export function channelFrequency(channel: number, band?: Band): number {
  const b = band ?? (channel >= 1 && channel <= 14 ? '2.4' : '5');
  if (b === '2.4') return channel === 14 ? 2484 : 2407 + channel * 5;
  if (b === '6') return channel === 2 ? 5935 : 5950 + channel * 5;
  return 5000 + channel * 5;
}

/** The channel number and band of a centre frequency (MHz), as ieee80211_freq_to_chan counts them. */
export function frequencyChannel(frequency: number): { channel: number; band: Band } {
  if (frequency === 2484) return { channel: 14, band: '2.4' };
  if (frequency < 2484) return { channel: (frequency - 2407) / 5, band: '2.4' };
  if (frequency === 5935) return { channel: 2, band: '6' };
  if (frequency > 5950 && frequency <= 7115) return { channel: (frequency - 5950) / 5, band: '6' };
  return { channel: (frequency - 5000) / 5, band: '5' };
}

const CCK_RATES = new Set([2, 4, 11, 22]);

/** Radiotap header + frame; `rate` in 500 kb/s units (12 = 6 Mb/s), signal in dBm. */
export function radiotapFrame(frame: Buffer, frequency: number, signal = -40, rate = 12): Buffer {
  const header = Buffer.alloc(16);
  header[0] = 0; // version
  header[1] = 0; // pad
  header.writeUInt16LE(header.length, 2);
  header.writeUInt32LE(PRESENT_FLAGS | PRESENT_RATE | PRESENT_CHANNEL | PRESENT_SIGNAL, 4);
  header[8] = 0; // flags: no FCS at the end
  header[9] = rate;
  header.writeUInt16LE(frequency, 10); // 2-byte aligned
  // Channel flags: 5 GHz (also 6 GHz) or 2 GHz spectrum, then OFDM or CCK modulation.
  header.writeUInt16LE(frequency > 3000 ? 0x0140 : CCK_RATES.has(rate) ? 0x00a0 : 0x00c0, 12);
  header.writeInt8(signal, 14);
  header[15] = 0; // padding
  return Buffer.concat([header, frame]);
}
