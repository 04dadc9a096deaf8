/**
 * The whole Multi-AP onboarding story on the simulated medium, in-process with virtual time:
 * gateway (fronthaul BSS with WPS, backhaul BSS), extender pushing WPS with multi_ap=1, phone with
 * plain WPS, a legacy STA trying the backhaul BSS.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHostapdConfOrThrow, parseWpaSupplicantConfOrThrow } from '../../src/config/index.js';
import { ApDaemon } from '../../src/daemon/ap-daemon.js';
import { createRadioAp } from '../../src/daemon/radio-runtime.js';
import { RadioSta } from '../../src/daemon/radio-sta.js';
import { StaDaemon } from '../../src/daemon/sta-daemon.js';
import { Medium } from '../../src/sim/medium.js';
import type { FaultConfig } from '../../src/sim/medium.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { parseMac } from '../../src/util/mac.js';
import { systemRng } from '../../src/util/rng.js';

export const GATEWAY_CONF = `interface=wlan0
driver=sim
channel=6
ssid=home
wpa=2
wpa_key_mgmt=WPA-PSK
wpa_passphrase=fronthaul-secret
rsn_pairwise=CCMP
eap_server=1
wps_state=2
multi_ap=2
multi_ap_backhaul_ssid="home-backhaul"
multi_ap_backhaul_wpa_passphrase=backhaul-secret-42
config_methods=virtual_push_button keypad display
device_name=gateway
uuid=12345678-9abc-def0-1234-56789abcdef0
bss=wlan0_1
ssid=home-backhaul
wpa=2
wpa_key_mgmt=WPA-PSK
wpa_passphrase=backhaul-secret-42
rsn_pairwise=CCMP
multi_ap=1
`;

const FRONTHAUL = parseMac('02:00:00:00:0a:01');
const BACKHAUL = parseMac('02:00:00:00:0a:02');

export function world(faults: Partial<FaultConfig> = {}, seed = 1) {
  const clock = new VirtualScheduler();
  const medium = new Medium(clock, { faults, seed });
  const dir = mkdtempSync(join(tmpdir(), 'onboard-radio-'));
  const apEvents: string[] = [];
  const apNotes: string[] = [];
  const config = parseHostapdConfOrThrow(GATEWAY_CONF).config;
  const apDaemon = new ApDaemon({ confPath: 'hostapd.conf', config, bssMacs: [FRONTHAUL, BACKHAUL], scheduler: clock, emit: (t) => apEvents.push(t) });
  let radioAp: ReturnType<typeof createRadioAp> | null = null;
  const apPort = medium.attach({ mac: FRONTHAUL, channel: 6, name: 'gateway' }, (frame) => radioAp?.receive(frame));
  const wdsFrames: { from: string; wds: boolean }[] = [];
  radioAp = createRadioAp({
    daemon: apDaemon,
    config,
    port: apPort,
    bssids: [FRONTHAUL, BACKHAUL],
    scheduler: clock,
    rng: systemRng,
    hooks: { note: (bss, text) => apNotes.push(`bss${bss}: ${text}`), data: (_bss, from, _type, _payload, wds) => wdsFrames.push({ from: from.toString('hex'), wds }) },
  });

  function sta(name: string, mac: string, conf: string) {
    const events: string[] = [];
    const notes: string[] = [];
    const confPath = join(dir, `${name}.conf`);
    let radio: RadioSta | null = null;
    let daemon: StaDaemon | null = null;
    const port = medium.attach({ mac: parseMac(mac), channel: 6, name }, (frame) => radio?.receive(frame));
    radio = new RadioSta({
      port,
      scheduler: clock,
      device: () => daemon!.deviceInfo,
      rng: systemRng,
      emit: (t) => events.push(t),
      cancelWps: () => void daemon!.handle({ client: '', command: 'WPS_CANCEL', args: [], raw: 'WPS_CANCEL' }),
      note: (t) => notes.push(t),
    });
    daemon = new StaDaemon({
      ifname: name,
      confPath,
      conf: parseWpaSupplicantConfOrThrow(conf, { file: confPath }).config,
      macAddress: parseMac(mac),
      scheduler: clock,
      link: radio,
      emit: (t) => events.push(t),
    });
    const command = (raw: string) => {
      const [c = '', ...args] = raw.split(' ');
      return daemon.handle({ client: '', command: c, args, raw });
    };
    return { events, notes, radio, daemon, command, confPath };
  }

  return { clock, medium, apDaemon, radioAp, apEvents, apNotes, wdsFrames, sta, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const STA_CONF = (name: string) => `update_config=1\ndevice_name=${name}\nconfig_methods=virtual_push_button display\n`;
const connected = (events: string[]) => events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED'));

describe('Multi-AP onboarding on the simulated medium (in-process)', () => {
  it('extender: WPS multi_ap=1 on the fronthaul BSS, backhaul credentials, joins the backhaul BSS in four-address mode with agreed keys', async () => {
    const w = world();
    try {
      const ext = w.sta('extender', '02:00:00:00:01:00', STA_CONF('extender'));
      assert.equal(await w.apDaemon.handle({ client: '', command: 'WPS_PBC', args: [], raw: 'WPS_PBC' }), 'OK\n');
      assert.equal(await ext.command('WPS_PBC multi_ap=1'), 'OK\n');
      w.clock.runWhile(() => connected(ext.events), 30_000);
      // Message 4 is still in the air when the STA reports the connection.
      w.clock.runUntil(w.clock.now() + 20);
      await ext.daemon.settled();
      assert.ok(ext.events.includes('WPS-SUCCESS '), ext.events.join('\n'));
      assert.match(ext.events.find((e) => e.startsWith('CTRL-EVENT-CONNECTED')) ?? '', /Connection to 02:00:00:00:0a:02 completed \[id=0/);
      const network = ext.daemon.config.networks[0]!;
      assert.equal(network.ssid?.toString(), 'home-backhaul');
      assert.equal(network.multiApBackhaulSta, true);
      assert.equal(ext.radio.fourAddress, true);
      const station = w.radioAp.station(1, parseMac('02:00:00:00:01:00'));
      assert.ok(station && station.state === 'connected' && station.fourAddress && station.multiAp);
      assert.ok(ext.radio.tk && station.tk && ext.radio.tk.equals(station.tk), 'both sides derived the same TK');
      assert.ok(w.apEvents.some((e) => e.startsWith('WPS-REG-SUCCESS 02:00:00:00:01:00 ')), w.apEvents.join('\n'));
      assert.ok(w.apEvents.includes('AP-STA-CONNECTED 02:00:00:00:01:00'));
      // The WPS association itself went to the fronthaul BSS with the Multi-AP element (fronthaul-only answer 0x20).
      assert.ok(w.apNotes.some((n) => n.startsWith('bss0: 02:00:00:00:01:00 associated (aid 1, WPS, Multi-AP backhaul STA')));

      // Four-address data from a client behind the extender reaches the gateway.
      ext.radio.sendData(0x0800, Buffer.from('4500', 'hex'), parseMac('02:00:00:00:0a:02'), parseMac('02:00:00:00:77:77'));
      w.clock.runUntil(w.clock.now() + 10);
      assert.deepEqual(w.wdsFrames, [{ from: '020000007777', wds: true }]);
    } finally {
      w.cleanup();
    }
  });

  it('phone: plain WPS gets the fronthaul network and connects without four-address mode; a legacy STA is refused by the backhaul BSS (status 12)', async () => {
    const w = world();
    try {
      const phone = w.sta('phone', '02:00:00:00:02:00', STA_CONF('phone'));
      await w.apDaemon.handle({ client: '', command: 'WPS_PBC', args: [], raw: 'WPS_PBC' });
      await phone.command('WPS_PBC');
      w.clock.runWhile(() => connected(phone.events), 30_000);
      assert.match(phone.events.find((e) => e.startsWith('CTRL-EVENT-CONNECTED')) ?? phone.events.join('\n'), /Connection to 02:00:00:00:0a:01 completed/);
      assert.equal(phone.daemon.config.networks[0]?.ssid?.toString(), 'home');
      assert.equal(phone.daemon.config.networks[0]?.multiApBackhaulSta, false);
      assert.equal(phone.radio.fourAddress, false);

      const legacy = w.sta('legacy', '02:00:00:00:03:00', `${STA_CONF('legacy')}network={\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n}\n`);
      assert.equal(await legacy.command('SELECT_NETWORK 0'), 'OK\n');
      w.clock.runWhile(() => legacy.events.some((e) => e.startsWith('CTRL-EVENT-ASSOC-REJECT')), 10_000);
      assert.deepEqual(legacy.events, ['CTRL-EVENT-ASSOC-REJECT bssid=02:00:00:00:0a:02 status_code=12']);
      // The same passphrase with multi_ap_backhaul_sta=1 is let in.
      const ok = w.sta('legacy2', '02:00:00:00:04:00', `${STA_CONF('legacy2')}network={\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n\tmulti_ap_backhaul_sta=1\n}\n`);
      await ok.command('SELECT_NETWORK 0');
      w.clock.runWhile(() => connected(ok.events), 10_000);
      assert.ok(connected(ok.events), ok.events.join('\n'));
    } finally {
      w.cleanup();
    }
  });

  it('two APs in PBC mode with different UUIDs: WPS-OVERLAP-DETECTED and the operation is cancelled', async () => {
    const w = world();
    try {
      // A second gateway on the same channel, also in PBC mode.
      const other = parseHostapdConfOrThrow(GATEWAY_CONF.replace('uuid=12345678-9abc-def0-1234-56789abcdef0', 'uuid=aaaaaaaa-9abc-def0-1234-56789abcdef0')).config;
      const macs = [parseMac('02:00:00:00:0b:01'), parseMac('02:00:00:00:0b:02')];
      const daemon2 = new ApDaemon({ confPath: 'h2.conf', config: other, bssMacs: macs, scheduler: w.clock, emit: () => {} });
      let radio2: ReturnType<typeof createRadioAp> | null = null;
      const port2 = w.medium.attach({ mac: macs[0]!, channel: 6 }, (f) => radio2?.receive(f));
      radio2 = createRadioAp({ daemon: daemon2, config: other, port: port2, bssids: macs, scheduler: w.clock, rng: systemRng });
      await w.apDaemon.handle({ client: '', command: 'WPS_PBC', args: [], raw: 'WPS_PBC' });
      await daemon2.handle({ client: '', command: 'WPS_PBC', args: [], raw: 'WPS_PBC' });
      const ext = w.sta('extender', '02:00:00:00:01:00', STA_CONF('extender'));
      await ext.command('WPS_PBC multi_ap=1');
      w.clock.runWhile(() => ext.events.includes('WPS-CANCEL '), 10_000);
      assert.deepEqual(ext.events, ['WPS-PBC-ACTIVE ', 'WPS-OVERLAP-DETECTED PBC session overlap', 'WPS-CANCEL ']);
      assert.equal(ext.daemon.config.networks.length, 0);
      radio2.stop();
    } finally {
      w.cleanup();
    }
  });
});
