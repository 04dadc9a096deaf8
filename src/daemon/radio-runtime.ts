/**
 * Puts the daemons on a radio of the simulated medium: an ApDaemon's BSSs become a RadioAp (one
 * Registrar per WPS BSS, station events into hostapd's event texts), a StaDaemon gets a RadioSta
 * as its link. Used by `onboard ap/sta -D sim`, the demo and the tests, in-process or across
 * processes (the RadioPort comes from the in-process Medium or from connectRadio()).
 */
import type { HostapdConfig } from '../config/index.js';
import { pskFromPassphrase } from '../wsc/index.js';
import type { RadioPort } from '../sim/medium.js';
import type { Scheduler } from '../sim/scheduler.js';
import { BROADCAST_MAC } from '../util/mac.js';
import type { Rng } from '../util/rng.js';
import type { ApDaemon } from './ap-daemon.js';
import { RadioAp } from './radio-ap.js';
import type { RadioApHooks } from './radio-ap.js';

export interface RadioApSetup {
  daemon: ApDaemon;
  config: HostapdConfig;
  /** One port per BSS is not needed: all BSSs share the radio; BSSIDs come from `bssids`. */
  port: RadioPort;
  bssids: Buffer[];
  scheduler: Scheduler;
  rng: Rng;
  hooks?: Pick<RadioApHooks, 'note' | 'data' | 'internalError'>;
}

export function createRadioAp(setup: RadioApSetup): RadioAp {
  const { daemon, config } = setup;
  const radio = new RadioAp(
    setup.port,
    setup.scheduler,
    config.bss.map((bss, index) => {
      if (!bss.ssid) throw new Error(`BSS ${index} has no ssid`);
      const passphrase = bss.wpaPassphrase;
      const pmk = bss.wpa ? (bss.wpaPsk ?? (passphrase !== undefined ? pskFromPassphrase(passphrase, bss.ssid) : null)) : null;
      const registrar = () => daemon.registrar(index);
      return {
        bssid: setup.bssids[index]!,
        ssid: bss.ssid,
        multiAp: bss.multiAp.mode,
        pmk,
        registrar,
        get device() {
          return registrar()?.device ?? daemon.registrar(0)!.device;
        },
        ...(bss.fragmentSize !== undefined ? { fragmentSize: bss.fragmentSize } : {}),
        maxStations: bss.maxNumSta,
      };
    }),
    setup.rng,
    {
      authenticatorEvent: (index, event) => daemon.authenticatorEvent(index, event),
      afterWsc: (index) => daemon.flushWps(index),
      stationConnected: (index, mac, flags) => daemon.stationConnected(index, mac, flags),
      stationDisconnected: (index, mac) => daemon.stationDisconnected(index, mac),
      ...setup.hooks,
    },
  );
  daemon.link = {
    removeStation: (mac, how) => {
      // The frame goes out from the BSS that holds the station; from every BSS when none does
      // (one control socket serves them all, and a station ignores BSSs it is not in).
      const all = config.bss.map((_, i) => i);
      const holders = all.filter((i) => mac.equals(BROADCAST_MAC) || radio.station(i, mac) !== undefined);
      for (const i of holders.length > 0 ? holders : all) radio.removeStation(i, mac, how.frame, how.reason);
    },
  };
  return radio;
}
