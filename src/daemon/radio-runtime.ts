/**
 * Puts the daemons on a radio of the simulated medium: an ApDaemon's BSSs become a RadioAp (one
 * Registrar per WPS BSS, station events into hostapd's event texts), a StaDaemon gets a RadioSta
 * as its link. Used by `onboard ap/sta -D sim`, the demo and the tests, in-process or across
 * processes (the RadioPort comes from the in-process Medium or from connectRadio()).
 */
import type { HostapdConfig } from '../config/index.js';
import { pmkFromPassphrase } from '../wpa/index.js';
import type { RadioPort } from '../sim/medium.js';
import type { Scheduler } from '../sim/scheduler.js';
import type { Rng } from '../util/rng.js';
import type { ApDaemon } from './ap-daemon.js';
import { simOperatingChannel } from './channels.js';
import { RadioAp } from './radio-ap.js';
import type { RadioApHooks, RadioBss } from './radio-ap.js';

export interface RadioApSetup {
  daemon: ApDaemon;
  config: HostapdConfig;
  /** One port per BSS is not needed: all BSSs share the radio; BSSIDs come from `bssids`. */
  port: RadioPort;
  bssids: Buffer[];
  scheduler: Scheduler;
  rng: Rng;
  hooks?: Pick<RadioApHooks, 'note' | 'data' | 'internalError' | 'wdsInterface'>;
}

/** The radio's view of each BSS of a configuration (PMK from the passphrase or PSK, WPS through the daemon). */
function radioBsses(daemon: ApDaemon, config: HostapdConfig, bssids: readonly Buffer[]): RadioBss[] {
  return config.bss.map((bss, index) => {
    if (!bss.ssid) throw new Error(`BSS ${index} has no ssid`);
    const passphrase = bss.wpaPassphrase;
    const pmk = bss.wpa ? (bss.wpaPsk ?? (passphrase !== undefined ? pmkFromPassphrase(passphrase, bss.ssid) : null)) : null;
    const registrar = () => daemon.registrar(index);
    return {
      bssid: bssids[index]!,
      ifname: bss.iface ?? '',
      ssid: bss.ssid,
      ignoreBroadcastSsid: bss.ignoreBroadcastSsid,
      wdsSta: bss.wdsSta,
      authAlgs: bss.authAlgs,
      broadcastDeauth: bss.broadcastDeauth,
      multiApBss: { role: bss.multiApConfig.role, profile: bss.multiApConfig.profile, clientDisallow: bss.multiApConfig.clientDisallow, vlanId: bss.multiApConfig.vlanId },
      pmk,
      registrar,
      get device() {
        return registrar()?.device ?? daemon.registrar(0)!.device;
      },
      ...(bss.fragmentSize !== undefined ? { fragmentSize: bss.fragmentSize } : {}),
      maxStations: bss.maxNumSta,
    };
  });
}

export function createRadioAp(setup: RadioApSetup): RadioAp {
  const { daemon, config, bssids } = setup;
  const radio = new RadioAp(
    setup.port,
    setup.scheduler,
    radioBsses(daemon, config, bssids),
    setup.rng,
    {
      authenticatorEvent: (index, event) => daemon.authenticatorEvent(index, event),
      afterWsc: (index) => daemon.flushWps(index),
      stationConnected: (index, mac, flags, aid) => daemon.stationConnected(index, mac, flags, aid),
      stationDisconnected: (index, mac) => daemon.stationDisconnected(index, mac),
      ...setup.hooks,
      // The daemon reports it (WDS-STA-INTERFACE-*); a bridge may want the interface too.
      wdsInterface: (index, change, ifname, mac, wds) => {
        daemon.wdsInterface(index, change, ifname, mac, wds);
        setup.hooks?.wdsInterface?.(index, change, ifname, mac, wds);
      },
    },
  );
  const every = () => config.bss.map((_, i) => i);
  daemon.link = {
    removeStation: (bss, mac, how) => radio.removeStation(bss, mac, how.frame, how.reason),
    flushStations: (reason) => {
      for (const i of every()) radio.flushStations(i, reason);
    },
    reconfigure: (next) => radio.reconfigure(radioBsses(daemon, next, bssids)),
    setEnabled: (enabled) => {
      // ENABLE sets the interface up from the configuration, channel included (SET channel N first).
      const channel = enabled ? simOperatingChannel(daemon.runningConfig.radio, setup.port.channel) : null;
      if (typeof channel === 'number' && channel !== setup.port.channel) setup.port.setChannel(channel);
      radio.setEnabled(enabled);
    },
    stopBss: (bss) => radio.stopBss(bss),
    channel: () => setup.port.channel,
    switchChannel: (count, channel, done) => radio.switchChannel(count, channel, done),
  };
  return radio;
}
