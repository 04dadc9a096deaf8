/**
 * IEEE 802.1Q tags on the Multi-AP backhaul link (EasyMesh traffic separation, Wi-Fi Multi-AP
 * Specification R2, Default 802.1Q Settings): once a Profile-2 backhaul BSS has announced a primary VLAN ID in its
 * Multi-AP element (the Default 802.1Q Setting subelement) and the backhaul STA is Profile 2 or
 * later, the frames of the primary network cross the link tagged with that VLAN ID. In a data
 * frame's LLC/SNAP body the tag is the EtherType 0x8100 (TPID), then the two-octet TCI (PCP 3
 * bits, DEI 1 bit, VID 12 bits), then the frame's own EtherType (IEEE 802.1Q-2018 §9.6).
 */
import { DecodeError } from '../util/errors.js';
import type { MultiApElement } from './multi-ap-element.js';

export const ETHERTYPE_VLAN = 0x8100;

/** A data frame's EtherType and body (after LLC/SNAP), as frames.ts carries them. */
export interface DataBody {
  etherType: number;
  payload: Buffer;
}

/** The body tagged with `vlanId` (PCP 0, DEI 0). */
export function vlanTag(vlanId: number, body: DataBody): DataBody {
  const tag = Buffer.alloc(4);
  tag.writeUInt16BE(vlanId & 0x0fff, 0);
  tag.writeUInt16BE(body.etherType, 2);
  return { etherType: ETHERTYPE_VLAN, payload: Buffer.concat([tag, body.payload]) };
}

/** The VLAN ID and the untagged body of a tagged one; null when the body carries no tag. */
export function vlanUntag(body: DataBody): { vlanId: number; body: DataBody } | null {
  if (body.etherType !== ETHERTYPE_VLAN) return null;
  if (body.payload.length < 4) throw new DecodeError('vlan-tag-truncated', '802.1Q tag', 0, `${body.payload.length} bytes where the TCI and EtherType need 4`);
  return { vlanId: body.payload.readUInt16BE(0) & 0x0fff, body: { etherType: body.payload.readUInt16BE(2), payload: body.payload.subarray(4) } };
}

/**
 * The VLAN ID both ends of a backhaul link tag the primary network's frames with, 0 for none:
 * the one the AP's element announced (add_multi_ap_ie sends it only from a Profile-2+ backhaul
 * BSS), when the backhaul STA's own element announced profile 2 or later.
 */
export function backhaulLinkVlan(apElement: MultiApElement, staProfile: number): number {
  return apElement.vlanId !== 0 && staProfile >= 2 ? apElement.vlanId : 0;
}
