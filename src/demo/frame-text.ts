/**
 * One line per 802.11 frame for the demo's sequence diagram: what it is, in the terms of the
 * onboarding story (WPS IE with PBC, Multi-AP element bits, EAP-WSC message type with the Multi-AP
 * extension in M1, EAPOL-Key message n/4, four-address data).
 */
import { decodeEap, decodeEapol, EapCode, EapolType, wscFragmentOf } from '../eap/index.js';
import { decodeMessage, MessageType, WscOpCode } from '../wsc/index.js';
import type { Element, Frame } from '../ieee80211/index.js';
import { FcFlag, parseMultiApElement, parseWpsElements } from '../ieee80211/index.js';
import { decodeEapolKey, KeyInfo } from '../wpa/index.js';
import { expectDecodeError } from '../util/errors.js';
import { IEEE1905_ETHERTYPE, decodeCmduFrame, isLastFragment, isRelayed, messageTypeName } from '../ieee1905/cmdu.js';
import { TlvType } from '../ieee1905/tlvs.js';

/** A 1905 CMDU fragment: its message type and ID, the relay indicator, the WSC TLVs it carries. */
function cmduText(payload: Buffer): string {
  try {
    const { header, tlvs } = decodeCmduFrame(payload);
    const wsc = tlvs.filter((t) => t.type === TlvType.Wsc).length;
    const fragment = header.fragmentId > 0 || !isLastFragment(header) ? ` fragment ${header.fragmentId}` : '';
    return `1905 ${messageTypeName(header.messageType)} (mid ${header.messageId}${fragment})${isRelayed(header) ? ' [relayed]' : ''}${wsc ? ` [${wsc} WSC]` : ''}`;
  } catch (error) {
    expectDecodeError(error);
    return '1905 frame (malformed)';
  }
}

function multiApElementText(elements: Element[]): string {
  const parsed = parseMultiApElement(elements);
  return parsed.kind === 'present' ? ` [Multi-AP 0x${parsed.element.extension.toString(16).padStart(2, '0')}]` : '';
}

function wps(elements: Element[]): string {
  try {
    const attrs = parseWpsElements(elements);
    if (!attrs) return '';
    if (attrs.selectedRegistrar === 1) return attrs.devicePasswordId === 4 ? ' [WPS: PBC active]' : ' [WPS: PIN active]';
    if (attrs.requestType !== undefined && attrs.devicePasswordId === 4) return ' [WPS: PBC]';
    return ' [WPS]';
  } catch (error) {
    expectDecodeError(error);
    return ' [WPS IE malformed]';
  }
}

function eapolText(payload: Buffer): string {
  try {
    const eapol = decodeEapol(payload);
    if (eapol.type === EapolType.Start) return 'EAPOL-Start';
    if (eapol.type === 3) {
      const key = decodeEapolKey(payload);
      const info = key.keyInfo;
      const n = info & KeyInfo.Ack ? (info & KeyInfo.Mic ? 3 : 1) : info & KeyInfo.Secure ? 4 : 2;
      return `EAPOL-Key ${n}/4`;
    }
    if (eapol.type !== EapolType.EapPacket) return `EAPOL type ${eapol.type}`;
    const eap = decodeEap(eapol.body);
    if (eap.code === EapCode.Success) return 'EAP-Success';
    if (eap.code === EapCode.Failure) return 'EAP-Failure';
    const dir = eap.code === EapCode.Request ? 'Request' : 'Response';
    if (eap.type === 1) return `EAP-${dir}/Identity`;
    const fragment = wscFragmentOf(eap);
    if (!fragment) return `EAP-${dir} type ${eap.type ?? '?'}`;
    if (fragment.opCode === WscOpCode.Start) return 'WSC_Start';
    if (fragment.opCode === WscOpCode.FragAck) return 'WSC_FRAG_ACK';
    const message = decodeMessage(fragment.data);
    const name = MessageType[message.type ?? 0] ?? `type ${message.type}`;
    const ext = message.attrs.wfa.multiApExtension !== undefined ? ` [Multi-AP extension 0x${message.attrs.wfa.multiApExtension.toString(16)}]` : '';
    return `${name === 'WscDone' ? 'WSC_Done' : name === 'WscAck' ? 'WSC_ACK' : name === 'WscNack' ? 'WSC_NACK' : name}${ext}`;
  } catch (error) {
    expectDecodeError(error);
    return 'EAPOL (fragment or malformed)';
  }
}

export function frameText(frame: Frame): string {
  switch (frame.kind) {
    case 'beacon':
      return `Beacon${wps(frame.elements)}`;
    case 'probe-request':
      return `Probe Request${wps(frame.elements)}`;
    case 'probe-response':
      return `Probe Response${wps(frame.elements)}`;
    case 'authentication':
      return `Authentication (seq ${frame.sequence}${frame.sequence === 2 ? `, status ${frame.status}` : ''})`;
    case 'association-request':
    case 'reassociation-request':
      return `Association Request${wps(frame.elements)}${multiApElementText(frame.elements)}`;
    case 'association-response':
    case 'reassociation-response':
      return `Association Response (status ${frame.status})${multiApElementText(frame.elements)}`;
    case 'deauthentication':
      return `Deauthentication (reason ${frame.reason})`;
    case 'disassociation':
      return `Disassociation (reason ${frame.reason})`;
    case 'data': {
      const wds = (frame.header.flags & (FcFlag.ToDs | FcFlag.FromDs)) === (FcFlag.ToDs | FcFlag.FromDs);
      if (frame.etherType === 0x888e) return eapolText(frame.payload);
      if (frame.etherType === IEEE1905_ETHERTYPE) return `${cmduText(frame.payload)}${wds ? ' (four-address)' : ''}`;
      return `Data${wds ? ' (four-address)' : ''} ethertype 0x${frame.etherType.toString(16)}`;
    }
    case 'null-data':
      return 'Null (connection probe)';
    case 'other':
      return `802.11 frame type ${frame.header.type} subtype ${frame.header.subtype}`;
  }
}
