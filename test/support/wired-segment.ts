/**
 * A wired 802.1X segment in virtual time (a hub, 1 ms per hop): our Registrar behind an ApEapLink
 * at AP_MAC and an Enrollee's StaEapLink at ENROLLEE_MAC; more ports attach to `segment`.
 */
import type { ApEapLinkOptions, StaEapLinkOptions } from '../../src/daemon/eap-links.js';
import { ApEapLink, StaEapLink } from '../../src/daemon/eap-links.js';
import { EthernetSegment } from '../../src/sim/ethernet-segment.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import type { Registrar } from '../../src/wsc/index.js';
import { AP_MAC, ENROLLEE_MAC } from './wsc-fixtures.js';

export interface WiredSegmentOptions {
  registrar: Registrar;
  ap?: Pick<ApEapLinkOptions, 'onEvent' | 'onInternalError'>;
  sta?: Pick<StaEapLinkOptions, 'onEvent' | 'onInternalError'>;
}

export function wiredSegment(options: WiredSegmentOptions) {
  const clock = new VirtualScheduler();
  const segment = new EthernetSegment(clock, 1);
  const links: { ap: ApEapLink | null; sta: StaEapLink | null } = { ap: null, sta: null };
  const apPort = segment.attach((f) => links.ap!.receive(f));
  const staPort = segment.attach((f) => links.sta!.receive(f));
  const ap = new ApEapLink({ ownMac: AP_MAC, registrar: options.registrar, scheduler: clock, port: apPort, ...options.ap });
  const sta = new StaEapLink({ ownMac: ENROLLEE_MAC, scheduler: clock, port: staPort, ...options.sta });
  links.ap = ap;
  links.sta = sta;
  return { clock, segment, ap, sta };
}
