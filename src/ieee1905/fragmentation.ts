/**
 * Whole CMDUs and their fragments (IEEE 1905.1-2013 CMDU fragmentation): a sender splits a CMDU at TLV
 * boundaries so that every fragment fits one Ethernet payload, numbers the fragments from 0, sets
 * the last-fragment flag on the last one and puts End of Message in every fragment (as meshComms and
 * prplMesh do; a receiver here accepts non-last fragments without it). A receiver joins them by
 * (source MAC, message ID) under hard bounds; a stream that never completes is dropped on `now`.
 */
import { OnboardError } from '../util/errors.js';
import { formatMac } from '../util/mac.js';
import type { MacAddress } from '../util/mac.js';
import type { CmduFrame, RawTlv } from './cmdu.js';
import { CMDU_HEADER_LENGTH, CmduFlag, END_OF_MESSAGE, MAX_CMDU_FRAME_PAYLOAD, TLV_HEADER_LENGTH, encodeCmduFrame, isLastFragment, isRelayed, messageTypeName } from './cmdu.js';

/** A complete message, whatever number of frames carried it. */
export interface Cmdu {
  messageType: number;
  messageId: number;
  relayIndicator: boolean;
  tlvs: RawTlv[];
}

/** A CMDU whose TLVs cannot be cut into fragments that fit (one TLV alone is too long). */
export class FragmentationError extends OnboardError {
  constructor(
    readonly tlvType: number,
    readonly tlvLength: number,
    limit: number,
  ) {
    super('ieee1905-tlv-too-long', `TLV 0x${tlvType.toString(16).padStart(2, '0')} of ${tlvLength} bytes cannot fit a ${limit}-byte CMDU frame`);
  }
}

/** Splits a CMDU into frames of at most `maxFramePayload` bytes each (header, TLVs and End of Message). */
export function fragmentCmdu(cmdu: Cmdu, maxFramePayload = MAX_CMDU_FRAME_PAYLOAD): Buffer[] {
  const room = maxFramePayload - CMDU_HEADER_LENGTH - END_OF_MESSAGE.length;
  const groups: RawTlv[][] = [[]];
  let used = 0;
  for (const tlv of cmdu.tlvs) {
    const size = TLV_HEADER_LENGTH + tlv.value.length;
    if (size > room) throw new FragmentationError(tlv.type, tlv.value.length, maxFramePayload);
    if (used + size > room) {
      groups.push([]);
      used = 0;
    }
    groups[groups.length - 1]!.push(tlv);
    used += size;
  }
  if (groups.length > 256) throw new RangeError(`CMDU needs ${groups.length} fragments, the fragment ID is one octet`);
  return groups.map((tlvs, index) => encodeCmduFrame({
    header: {
      messageVersion: 0,
      reserved: 0,
      messageType: cmdu.messageType,
      messageId: cmdu.messageId,
      fragmentId: index,
      flags: (index === groups.length - 1 ? CmduFlag.LastFragment : 0) | (cmdu.relayIndicator ? CmduFlag.RelayIndicator : 0),
    },
    tlvs,
    endOfMessage: true,
    trailer: Buffer.alloc(0),
  }));
}

export interface ReassemblyLimits {
  /** Fragments one message may have. */
  maxFragments: number;
  /** Bytes of TLVs one message may hold. */
  maxBytes: number;
  /** Messages being reassembled at once (over all sources); the oldest is dropped for a new one. */
  maxStreams: number;
  /** A stream not completed this long after its first fragment is dropped (ms). */
  timeoutMs: number;
}

/**
 * 1905.1 leaves the bounds to the implementation; these hold the largest message EasyMesh R1 sends
 * (a WSC CMDU with one M2 per BSS, a few kB) many times over and keep a flood to about 1 MB.
 */
export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = {
  maxFragments: 16,
  maxBytes: 16 * 1024,
  maxStreams: 64,
  timeoutMs: 3000,
};

export type ReassemblyFailure = 'timeout' | 'too-many-fragments' | 'too-large' | 'evicted' | 'inconsistent' | 'duplicate-fragment';

/** A fragment stream that was dropped, and why. */
export class ReassemblyError extends OnboardError {
  constructor(
    readonly reason: ReassemblyFailure,
    readonly source: MacAddress,
    readonly messageId: number,
    readonly messageType: number,
    detail: string,
  ) {
    super(`ieee1905-reassembly-${reason}`, `${messageTypeName(messageType)} mid=${messageId} from ${formatMac(source)}: ${detail}`);
  }
}

interface Stream {
  source: MacAddress;
  messageType: number;
  messageId: number;
  relayIndicator: boolean;
  firstSeen: number;
  fragments: Map<number, RawTlv[]>;
  lastFragmentId: number | undefined;
  bytes: number;
}

/** `cmdu` when this frame completed a message; `errors` for every stream dropped on the way (this one included). */
export interface ReassemblyResult {
  cmdu?: Cmdu;
  errors: ReassemblyError[];
}

export class Reassembler {
  private readonly streams = new Map<string, Stream>();
  readonly limits: ReassemblyLimits;

  constructor(limits: Partial<ReassemblyLimits> = {}) {
    this.limits = { ...DEFAULT_REASSEMBLY_LIMITS, ...limits };
  }

  get pendingStreams(): number {
    return this.streams.size;
  }

  /** Takes one decoded frame from `source`; a single-frame CMDU completes at once without being stored. */
  push(source: MacAddress, frame: CmduFrame, now: number): ReassemblyResult {
    const { header } = frame;
    const last = isLastFragment(header);
    if (header.fragmentId === 0 && last) {
      return { cmdu: { messageType: header.messageType, messageId: header.messageId, relayIndicator: isRelayed(header), tlvs: frame.tlvs }, errors: [] };
    }
    const errors = this.expire(now);
    const key = `${formatMac(source)}/${header.messageId}`;
    let stream = this.streams.get(key);
    if (stream && stream.messageType !== header.messageType) {
      this.streams.delete(key);
      errors.push(this.error(stream, 'inconsistent', `fragment ${header.fragmentId} has type ${messageTypeName(header.messageType)}`));
      stream = undefined;
    }
    if (!stream) {
      if (this.streams.size >= this.limits.maxStreams) {
        const [oldestKey, oldest] = this.streams.entries().next().value as [string, Stream];
        this.streams.delete(oldestKey);
        errors.push(this.error(oldest, 'evicted', `more than ${this.limits.maxStreams} messages in reassembly`));
      }
      stream = {
        source: Buffer.from(source), messageType: header.messageType, messageId: header.messageId, relayIndicator: isRelayed(header),
        firstSeen: now, fragments: new Map(), lastFragmentId: undefined, bytes: 0,
      };
      this.streams.set(key, stream);
    }
    const fail = (reason: ReassemblyFailure, detail: string): ReassemblyResult => {
      this.streams.delete(key);
      errors.push(this.error(stream, reason, detail));
      return { errors };
    };
    if (stream.fragments.has(header.fragmentId)) return fail('duplicate-fragment', `fragment ${header.fragmentId} twice`);
    if (header.fragmentId >= this.limits.maxFragments) return fail('too-many-fragments', `fragment ${header.fragmentId}, at most ${this.limits.maxFragments} fragments`);
    if (last) {
      if (stream.lastFragmentId !== undefined) return fail('inconsistent', 'two last fragments');
      stream.lastFragmentId = header.fragmentId;
    }
    const lastId = stream.lastFragmentId;
    if (lastId !== undefined && (header.fragmentId > lastId || [...stream.fragments.keys()].some((id) => id > lastId))) {
      return fail('inconsistent', `a fragment after the last one (${stream.lastFragmentId})`);
    }
    const size = frame.tlvs.reduce((n, t) => n + TLV_HEADER_LENGTH + t.value.length, 0);
    if (stream.bytes + size > this.limits.maxBytes) return fail('too-large', `more than ${this.limits.maxBytes} bytes of TLVs`);
    stream.bytes += size;
    // The frame's bytes may belong to a reused receive buffer: keep copies.
    stream.fragments.set(header.fragmentId, frame.tlvs.map((t) => ({ type: t.type, value: Buffer.from(t.value) })));
    if (stream.lastFragmentId === undefined || stream.fragments.size !== stream.lastFragmentId + 1) {
      return { errors };
    }
    this.streams.delete(key);
    const tlvs: RawTlv[] = [];
    for (let id = 0; id <= stream.lastFragmentId; id++) tlvs.push(...stream.fragments.get(id)!);
    const cmdu: Cmdu = { messageType: stream.messageType, messageId: stream.messageId, relayIndicator: stream.relayIndicator, tlvs };
    return { cmdu, errors };
  }

  /** Drops the streams older than the timeout and returns them as errors. */
  expire(now: number): ReassemblyError[] {
    const errors: ReassemblyError[] = [];
    for (const [key, stream] of this.streams) {
      if (now - stream.firstSeen >= this.limits.timeoutMs) {
        this.streams.delete(key);
        errors.push(this.error(stream, 'timeout', `incomplete after ${now - stream.firstSeen} ms (${stream.fragments.size} fragment(s))`));
      }
    }
    return errors;
  }

  /** When the next stream times out, for a driver's timer (undefined: nothing pending). */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const stream of this.streams.values()) {
      const at = stream.firstSeen + this.limits.timeoutMs;
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  private error(stream: Stream, reason: ReassemblyFailure, detail: string): ReassemblyError {
    return new ReassemblyError(reason, stream.source, stream.messageId, stream.messageType, detail);
  }
}
