/**
 * What the WSC protocol core offers the EAP method that carries it (src/eap): complete, reassembled
 * WSC messages tagged with their EAP-WSC Op-Code go in, the answer comes out. The Enrollee run and
 * the Registrar session implement it. As in hostap, where `enum wsc_op_code` and wps_process_msg /
 * wps_get_msg live in the WPS core (src/wps/wps.h) and eap_wsc.c / eap_server_wsc.c call them, the
 * EAP method depends on this file and the core knows nothing of EAP.
 */
import type { KeyAgreementRequest } from './crypto.js';

/** EAP-WSC Op-Code (WSC §8.3.1; hostap src/wps/wps.h enum wsc_op_code). */
export enum WscOpCode {
  Start = 0x01,
  Ack = 0x02,
  Nack = 0x03,
  Msg = 0x04,
  Done = 0x05,
  FragAck = 0x06,
}

export interface WscFrame {
  opCode: WscOpCode;
  data: Buffer;
}

export interface WscHandlerResult {
  /**
   * Message to send back, if any. Without a reply and without `finished`, a peer ignores the
   * request (sends no Response); a server fails the method (EAP-Failure), as hostapd does when its
   * WPS core has nothing to send.
   */
  reply?: WscFrame;
  /**
   * True when the WSC run is over once `reply` (if any) is sent. An EAP server then ends the
   * conversation with EAP-Failure (WSC never uses EAP-Success); a peer then only waits for it.
   */
  finished: boolean;
  /**
   * No answer yet: it waits for this key agreement, which the host computes elsewhere
   * (KeyAgreementService) and then hands back to the run, whose answer comes from `resume`. An
   * EAP server keeps the conversation open meanwhile, as hostapd's EAP server does while a method
   * is pending (eap_server.c METHOD_PENDING_WAIT, e.g. EAP-SIM waiting for its authentication
   * centre). Only with `finished` false and no `reply`.
   */
  pending?: KeyAgreementRequest;
}

export interface WscHandler {
  /**
   * One complete inbound message. A peer's first call is `{opCode: Start, data: empty}` and
   * returns M1; a server's first call carries M1. Must not throw on hostile input: bad input is
   * answered (NACK) or ends the run (`finished` without reply), as the reference does.
   */
  process(frame: WscFrame, now: number): WscHandlerResult;
  /**
   * Optional: called exactly once when the EAP conversation carrying this run ends — EAP-Failure,
   * retransmission or client timeout, EAPOL-Start/Logoff, port removal — whether or not the run
   * had already finished (an Enrollee that got M2D ends only here). `timeout` when the other side
   * stopped answering, `aborted` otherwise.
   */
  abort?(reason: 'timeout' | 'aborted'): void;
  /**
   * Optional: called once a reply has gone out, before the peer's next message can be handled:
   * work for a later reply that no message can change (the reference does it when it builds that
   * reply), so that reply waits only for the checks of the message it answers.
   */
  workAhead?(): void;
  /** After a `pending` result, once the host has what the run waited for: the answer it deferred. */
  resume?(now: number): WscHandlerResult;
}
