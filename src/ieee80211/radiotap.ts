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

export function channelFrequency(channel: number): number {
  if (channel === 14) return 2484;
  if (channel >= 1 && channel <= 13) return 2407 + channel * 5;
  return 5000 + channel * 5;
}

/** Radiotap header + frame; `rate` in 500 kb/s units (12 = 6 Mb/s), signal in dBm. */
export function radiotapFrame(frame: Buffer, channel: number, signal = -40, rate = 12): Buffer {
  const header = Buffer.alloc(16);
  header[0] = 0; // version
  header[1] = 0; // pad
  header.writeUInt16LE(header.length, 2);
  header.writeUInt32LE(PRESENT_FLAGS | PRESENT_RATE | PRESENT_CHANNEL | PRESENT_SIGNAL, 4);
  header[8] = 0; // flags: no FCS at the end
  header[9] = rate;
  header.writeUInt16LE(channelFrequency(channel), 10); // 2-byte aligned
  header.writeUInt16LE(channel > 14 ? 0x0140 : 0x00c0, 12); // 5 GHz or 2 GHz spectrum, OFDM
  header.writeInt8(signal, 14);
  header[15] = 0; // padding
  return Buffer.concat([header, frame]);
}
