/** A radio in this process attached to an `onboard medium` hub in another one. */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Band } from '../ieee80211/radiotap.js';
import { channelFrequency, frequencyChannel } from '../ieee80211/radiotap.js';
import type { RadioPort, RadioSummary, RxInfo, TxStatus } from './medium.js';
import { DEFAULT_RATE } from './medium.js';
import { LinkDecoder, LinkType, encodeLink } from './medium-link.js';
import { OnboardError, expectDecodeError } from '../util/errors.js';

/** How long the hub may take to answer HELLO before the radio gives up. */
const WELCOME_TIMEOUT_MS = 5000;

export interface RemoteRadioPort extends RadioPort {
  /** The radios that were on the medium when this one joined (the hub's WELCOME). */
  readonly others: readonly RadioSummary[];
}

export async function connectRadio(
  socketPath: string,
  options: { mac: Buffer; channel: number; band?: Band; name?: string },
  deliver: (frame: Buffer, info: RxInfo) => void,
  onError: (error: Error) => void = () => {},
): Promise<RemoteRadioPort> {
  const socket: Socket = connect(socketPath);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const decoder = new LinkDecoder();
  const pending = new Map<number, (status: TxStatus) => void>();
  let nextCookie = 1;
  let welcomed: (radios: RadioSummary[]) => void = () => {};
  const welcome = new Promise<RadioSummary[]>((resolve) => (welcomed = resolve));
  socket.on('data', (chunk) => {
    let messages;
    try {
      messages = decoder.push(chunk);
    } catch (error) {
      // A malformed link message: the medium is broken, the link ends. A bug in `deliver` is not caught here.
      onError(expectDecodeError(error));
      socket.destroy();
      return;
    }
    for (const m of messages) {
      if (m.type === 'invalid') onError(m.error);
      else if (m.type === LinkType.Rx) {
        const { channel } = frequencyChannel(m.frequency);
        deliver(m.frame, { channel, frequency: m.frequency, transmitter: m.transmitter, time: Date.now(), signal: m.signal, rate: m.rate });
      } else if (m.type === LinkType.TxStatus) {
        const callback = pending.get(m.cookie);
        pending.delete(m.cookie);
        callback?.({ acked: m.acked });
      } else if (m.type === LinkType.Welcome) welcomed(m.radios);
      else if (m.type === LinkType.Error) onError(new OnboardError('medium-refused', `the medium refused a message: ${m.text}`));
    }
  });
  socket.on('error', onError);
  let frequency = channelFrequency(options.channel, options.band);
  const write = (buffer: Buffer) => {
    if (!socket.destroyed) socket.write(buffer);
  };
  write(encodeLink({ type: LinkType.Hello, mac: options.mac, frequency, name: options.name ?? '' }));
  let timer: NodeJS.Timeout | undefined;
  const others = await Promise.race([
    welcome,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to HELLO within ${WELCOME_TIMEOUT_MS} ms`)), WELCOME_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  return {
    mac: Buffer.from(options.mac),
    others,
    get channel() {
      return frequencyChannel(frequency).channel;
    },
    get frequency() {
      return frequency;
    },
    send: (frame, sendOptions) => {
      let cookie = 0;
      if (sendOptions?.onStatus) {
        cookie = nextCookie;
        nextCookie = nextCookie >= 0xffffffff ? 1 : nextCookie + 1;
        pending.set(cookie, sendOptions.onStatus);
      }
      write(encodeLink({ type: LinkType.Tx, cookie, rate: sendOptions?.rate ?? DEFAULT_RATE, frame }));
    },
    setChannel: (c, band) => {
      frequency = channelFrequency(c, band);
      write(encodeLink({ type: LinkType.Tune, frequency }));
    },
    tune: (f) => {
      frequency = f;
      write(encodeLink({ type: LinkType.Tune, frequency }));
    },
    addAddress: (address) => write(encodeLink({ type: LinkType.Address, add: true, mac: address })),
    removeAddress: (address) => write(encodeLink({ type: LinkType.Address, add: false, mac: address })),
    detach: () => {
      pending.clear();
      socket.end();
    },
  };
}
