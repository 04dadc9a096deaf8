/**
 * `onboard sta -u` against the real `wpa_supplicant -u` 2.10, each on its own private dbus-daemon
 * and driven by the real client gdbus: the reference runs in a network namespace on one end of a
 * veth pair, onboard on the other, both with the wired driver, the interfaces added with
 * CreateInterface. The same calls must give the same replies, error names and signals, and the
 * introspection data must agree member by member. Then, beyond the reference, WPS.Start with
 * `MultiAP` onboards onboard's extender to the backhaul BSS of `onboard ap` on the medium.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench } from '../support/interop.js';
import { ONBOARD_BIN, OnboardProcesses, ctrlCli, removeLeftovers, requireTools, startGateway, until, wiredHostapdConf, wiredWpasConf, withBench } from '../support/interop.js';
import type { MemberShape, PrivateBus } from '../support/dbus.js';
import { gdbusCall, gdbusIntrospect, gdbusMonitor, introspectionShape, startPrivateBus } from '../support/dbus.js';

const ROOT = '/fi/w1/wpa_supplicant1';
const IFACE = `${ROOT}/Interfaces/0`;
const I = 'fi.w1.wpa_supplicant1.Interface';
const WPS = `${I}.WPS`;
const PROPS = 'org.freedesktop.DBus.Properties';

interface Side {
  bus: PrivateBus;
  ifname: string;
  /** The daemon's log so far. */
  log: () => string;
}

/** Both daemons up on their buses, each with its wired interface added by CreateInterface. */
async function bothDaemons(b: Bench, dir: string): Promise<{ reference: Side; ours: Side; stop: () => void }> {
  const referenceBus = await startPrivateBus(dir, 'reference-bus');
  const ourBus = await startPrivateBus(dir, 'our-bus');
  const wpas = b.command('wpa_supplicant', 'ip', ['netns', 'exec', b.ns, 'env', `DBUS_SYSTEM_BUS_ADDRESS=${referenceBus.address}`, 'wpa_supplicant', '-u', '-dd', '-t']);
  const ours = b.command('onboard-sta', 'env', [`DBUS_SYSTEM_BUS_ADDRESS=${ourBus.address}`, process.execPath, ONBOARD_BIN, 'sta', '-u', '-d']);
  const reference: Side = { bus: referenceBus, ifname: b.peerIf, log: wpas.output };
  const onboard: Side = { bus: ourBus, ifname: b.localIf, log: ours.output };
  for (const side of [reference, onboard]) {
    await until(() => false !== /fi\.w1\.wpa_supplicant1|dbus: Register D-Bus object|D-Bus: serving/.test(side.log()), `D-Bus service up\n${side.log()}`);
    const created = await gdbusCall(side.bus, ROOT, 'fi.w1.wpa_supplicant1.CreateInterface', `{'Ifname': <'${side.ifname}'>, 'Driver': <'wired'>}`);
    assert.equal(created.out, `(objectpath '${IFACE}',)`, `CreateInterface\n${side.log()}`);
  }
  return {
    reference,
    ours: onboard,
    stop: () => {
      referenceBus.stop();
      ourBus.stop();
    },
  };
}

/** `fn` with both daemons up on a fresh bench; the buses stop after it, the bench with it. */
function withBothDaemons(fn: (reference: Side, ours: Side) => Promise<void>): Promise<void> {
  return withBench(async (b) => {
    const { reference, ours, stop } = await bothDaemons(b, b.dir);
    try {
      await fn(reference, ours);
    } finally {
      stop();
    }
  });
}

/** Calls whose replies must be the same on both (GVariant text, or the D-Bus error name). */
function sameReplyCases(side: Side): [string, string, ...string[]][] {
  return [
    [ROOT, 'fi.w1.wpa_supplicant1.GetInterface', side.ifname],
    [ROOT, 'fi.w1.wpa_supplicant1.GetInterface', 'nosuch9'],
    [ROOT, 'fi.w1.wpa_supplicant1.CreateInterface', `{'Ifname': <'${side.ifname}'>, 'Driver': <'wired'>}`],
    [ROOT, 'fi.w1.wpa_supplicant1.CreateInterface', `{'Driver': <'wired'>}`],
    [ROOT, 'fi.w1.wpa_supplicant1.CreateInterface', `{'Ifname': <uint32 5>}`],
    [ROOT, 'fi.w1.wpa_supplicant1.CreateInterface', `{'Ifname': <'zz9'>, 'Bogus': <'x'>}`],
    [ROOT, 'fi.w1.wpa_supplicant1.CreateInterface', `{'Ifname': <'nosuch9'>, 'Driver': <'wired'>}`],
    [ROOT, 'fi.w1.wpa_supplicant1.RemoveInterface', `${ROOT}/Interfaces/9`],
    [ROOT, `${PROPS}.Get`, 'fi.w1.wpa_supplicant1', 'Interfaces'],
    [ROOT, `${PROPS}.Get`, 'fi.w1.wpa_supplicant1', 'Nope'],
    [ROOT, `${PROPS}.Set`, 'fi.w1.wpa_supplicant1', 'Interfaces', '<@ao []>'],
    [IFACE, `${PROPS}.Get`, I, 'State'],
    [IFACE, `${PROPS}.Get`, I, 'CurrentBSS'],
    [IFACE, `${PROPS}.Get`, I, 'CurrentNetwork'],
    [IFACE, `${PROPS}.Get`, I, 'BSSs'],
    [IFACE, `${PROPS}.Get`, I, 'Networks'],
    [IFACE, `${PROPS}.Get`, I, 'Ifname'],
    [IFACE, `${PROPS}.Get`, I, 'Driver'],
    [IFACE, `${PROPS}.Get`, WPS, 'ProcessCredentials'],
    [IFACE, `${PROPS}.Set`, WPS, 'ProcessCredentials', '<false>'],
    [IFACE, `${PROPS}.Get`, WPS, 'ProcessCredentials'],
    [IFACE, `${PROPS}.Set`, WPS, 'ProcessCredentials', '<true>'],
    [IFACE, `${PROPS}.Set`, WPS, 'ProcessCredentials', `<'yes'>`],
    [IFACE, `${I}.Disconnect`],
    [IFACE, `${I}.Scan`, `{'Type': <'bogus'>}`],
    [IFACE, `${I}.Scan`, `{'Foo': <'active'>}`],
    [IFACE, `${I}.Scan`, `{'Type': <uint32 1>}`],
    [IFACE, `${I}.Scan`, '{}'],
    [IFACE, `${I}.AddNetwork`, `{'bogus': <'x'>}`],
    [IFACE, `${I}.AddNetwork`, `{'ssid': <true>}`],
    [IFACE, `${I}.AddNetwork`, `{'ssid': <'x'>, 'priority': <'5'>}`],
    [IFACE, `${I}.AddNetwork`, `{'ssid': <'home'>, 'psk': <'secret-passphrase'>, 'scan_ssid': <uint32 1>, 'priority': <3>, 'multi_ap_backhaul_sta': <1>}`],
    [IFACE, `${PROPS}.Get`, I, 'Networks'],
    [`${IFACE}/Networks/0`, `${PROPS}.Get`, 'fi.w1.wpa_supplicant1.Network', 'Enabled'],
    [`${IFACE}/Networks/0`, `${PROPS}.Set`, 'fi.w1.wpa_supplicant1.Network', 'Properties', `<{'priority': <7>}>`],
    [`${IFACE}/Networks/0`, `${PROPS}.Set`, 'fi.w1.wpa_supplicant1.Network', 'Properties', `<{'bogus': <'x'>}>`],
    [`${IFACE}/Networks/0`, `${PROPS}.Set`, 'fi.w1.wpa_supplicant1.Network', 'Enabled', '<uint32 1>'],
    [`${IFACE}/Networks/0`, `${PROPS}.Get`, 'fi.w1.wpa_supplicant1.Network', 'Nope'],
    [`${IFACE}/Networks/9`, `${PROPS}.Get`, 'fi.w1.wpa_supplicant1.Network', 'Enabled'],
    [IFACE, `${I}.FlushBSS`, 'uint32 0'],
    [IFACE, `${I}.SaveConfig`],
    [IFACE, `${I}.Reconnect`],
    [IFACE, `${I}.RemoveNetwork`, `${IFACE}/Networks/77`],
    [IFACE, `${I}.RemoveNetwork`, '/x'],
    [IFACE, `${I}.SelectNetwork`, `${IFACE}/Networks/77`],
    [IFACE, `${I}.SelectNetwork`, '/x'],
    [IFACE, `${I}.RemoveNetwork`, `${IFACE}/Networks/0`],
    [IFACE, `${PROPS}.Get`, I, 'Networks'],
    [IFACE, `${I}.AddNetwork`, `{'ssid': <'other'>}`],
    [IFACE, `${I}.RemoveAllNetworks`],
    [IFACE, `${PROPS}.Get`, I, 'Networks'],
    // WPS.Start: the reference's checks, each entry as it comes.
    [IFACE, `${WPS}.Start`, `{'Role': <uint32 1>}`],
    [IFACE, `${WPS}.Start`, `{'Role': <'bogus'>}`],
    [IFACE, `${WPS}.Start`, `{'Role': <'enrollee'>}`],
    [IFACE, `${WPS}.Start`, `{'Type': <'pbc'>}`],
    [IFACE, `${WPS}.Start`, `{'Role': <'enrollee'>, 'Type': <'bogus'>}`],
    [IFACE, `${WPS}.Start`, `{'Role': <'enrollee'>, 'Type': <'pin'>, 'Pin': <uint32 12345670>}`],
    [IFACE, `${WPS}.Start`, `{'Role': <'enrollee'>, 'Type': <'pbc'>, 'Bssid': <'02:00:00:00:00:01'>}`],
    [IFACE, `${WPS}.Start`, `{'Role': <'enrollee'>, 'Type': <'pbc'>, 'Bssid': <[byte 1, 2, 3]>}`],
    [IFACE, `${WPS}.Start`, `{'Role': <'enrollee'>, 'Type': <'pbc'>, 'Bogus': <'x'>}`],
    [IFACE, `${WPS}.Cancel`],
    [IFACE, `${I}.NoSuchMethod`],
  ];
}

describe('onboard sta -u and the real wpa_supplicant -u 2.10, driven by gdbus', () => {
  before(() => {
    requireTools('wpa_supplicant', 'dbus-daemon', 'gdbus', 'ip');
    removeLeftovers();
  });

  it('introspection data agree member by member (root, interface, network objects)', async () => {
    await withBothDaemons(async (reference, ours) => {
    for (const side of [reference, ours]) await gdbusCall(side.bus, IFACE, `${I}.AddNetwork`, `{'ssid': <'home'>}`);
    for (const path of [ROOT, IFACE, `${IFACE}/Networks/0`]) {
      const real = introspectionShape(await gdbusIntrospect(reference.bus, path));
      const mine = introspectionShape(await gdbusIntrospect(ours.bus, path));
      for (const [name, members] of mine) {
        const referenceMembers = real.get(name);
        assert.ok(referenceMembers, `${path}: interface ${name} is served by wpa_supplicant 2.10`);
        for (const member of members) {
          const same: MemberShape | undefined = referenceMembers.find((m) => m.kind === member.kind && m.name === member.name);
          assert.ok(same, `${path}: ${name} ${member.kind} ${member.name} exists in wpa_supplicant 2.10`);
          assert.equal(member.shape, same.shape, `${path}: ${name} ${member.kind} ${member.name}`);
        }
      }
    }
    assert.equal(await gdbusIntrospect(ours.bus, `${IFACE}/Networks/0`), await gdbusIntrospect(reference.bus, `${IFACE}/Networks/0`));
    });
  });

  it('the same calls give the same replies and error names', async () => {
    await withBothDaemons(async (reference, ours) => {
    const referenceCases = sameReplyCases(reference);
    const ourCases = sameReplyCases(ours);
    for (let i = 0; i < referenceCases.length; i++) {
      const [path, method, ...args] = referenceCases[i]!;
      const expected = await gdbusCall(reference.bus, path, method, ...args);
      const [ourPath, ourMethod, ...ourArgs] = ourCases[i]!;
      const actual = await gdbusCall(ours.bus, ourPath, ourMethod, ...ourArgs);
      // The interface names differ (two ends of a veth pair); the replies otherwise do not.
      const normalise = (text: string, side: Side) => text.replaceAll(side.ifname, 'IFNAME');
      assert.deepEqual({ ...actual, out: normalise(actual.out, ours) }, { ...expected, out: normalise(expected.out, reference) }, `${method} ${args.join(' ')}`);
    }
    });
  });

  it('the same signals: NetworkAdded/Removed, Network PropertiesChanged (both forms), InterfaceRemoved/Added', async () => {
    await withBothDaemons(async (reference, ours) => {
    const seen: string[][] = [];
    for (const side of [reference, ours]) {
      const monitor = gdbusMonitor(side.bus);
      await new Promise((r) => setTimeout(r, 500));
      const network = `${IFACE}/Networks/0`;
      await gdbusCall(side.bus, IFACE, `${I}.AddNetwork`, `{'ssid': <'sig'>, 'psk': <'secret-passphrase'>}`);
      await gdbusCall(side.bus, network, `${PROPS}.Set`, 'fi.w1.wpa_supplicant1.Network', 'Enabled', '<true>');
      await gdbusCall(side.bus, network, `${PROPS}.Set`, 'fi.w1.wpa_supplicant1.Network', 'Enabled', '<false>');
      await gdbusCall(side.bus, IFACE, `${I}.AddNetwork`, `{'bogus': <'x'>}`);
      await gdbusCall(side.bus, IFACE, `${I}.RemoveNetwork`, network);
      await gdbusCall(side.bus, ROOT, 'fi.w1.wpa_supplicant1.RemoveInterface', IFACE);
      await gdbusCall(side.bus, ROOT, 'fi.w1.wpa_supplicant1.CreateInterface', `{'Ifname': <'${side.ifname}'>, 'Driver': <'wired'>}`);
      await new Promise((r) => setTimeout(r, 1000));
      monitor.stop();
      // The Interface's own PropertiesChanged is left out here: 2.10 announces properties onboard
      // does not serve (ApScan, CurrentAuthMode, DisconnectReason, SessionLength) in the same signals.
      seen.push(
        monitor
          .lines()
          .map((l) => /^(\S+): ([\w.]+) \((.*)$/.exec(l)!)
          .filter((m) => !(m[2]!.endsWith('PropertiesChanged') && (m[2] === `${I}.PropertiesChanged` || m[3]!.startsWith(`'${I}'`))))
          .map((m) => `${m[1]} ${m[2]} ${m[2]!.endsWith('PropertiesChanged') ? m[3] : /objectpath '[^']+'/.exec(m[3]!)?.[0] ?? ''}`),
      );
    }
    assert.deepEqual(seen[1], seen[0]);
    assert.ok(seen[0]!.some((s) => s.includes('InterfaceAdded')), seen[0]!.join('\n'));
    });
  });

  it('bad WPS.Start input: the reference\'s InvalidArgs, and nothing starts (beyond it: Pin with letters, MultiAP 0, 7 or not a uint32)', async () => {
    await withBothDaemons(async (reference, ours) => {
    // wpa_supplicant 2.10 starts a run with any Pin string (wpas_wps_start_pin does not check it).
    const lettersAtReference = await gdbusCall(reference.bus, IFACE, `${WPS}.Start`, `{'Role': <'enrollee'>, 'Type': <'pin'>, 'Pin': <'12ab5678'>}`);
    assert.deepEqual(lettersAtReference, { out: '(@a{sv} {},)', error: null });
    // ... and MultiAP is unknown to it: InvalidArgs, the name onboard answers for a bad MultiAP.
    const multiApAtReference = await gdbusCall(reference.bus, IFACE, `${WPS}.Start`, `{'Role': <'enrollee'>, 'Type': <'pbc'>, 'MultiAP': <uint32 1>}`);
    assert.equal(multiApAtReference.error, 'fi.w1.wpa_supplicant1.InvalidArgs');
    for (const bad of [
      `{'Role': <'enrollee'>, 'Type': <'pin'>, 'Pin': <'12ab5678'>}`,
      `{'Role': <'enrollee'>, 'Type': <'pbc'>, 'MultiAP': <uint32 0>}`,
      `{'Role': <'enrollee'>, 'Type': <'pbc'>, 'MultiAP': <uint32 7>}`,
      `{'Role': <'enrollee'>, 'Type': <'pbc'>, 'MultiAP': <1>}`,
      `{'Role': <'enrollee'>, 'Type': <'pbc'>, 'MultiAP': <'1'>}`,
      `{'Role': <'enrollee'>, 'Type': <'pbc'>, 'Multiap': <uint32 1>}`,
    ]) {
      assert.deepEqual(await gdbusCall(ours.bus, IFACE, `${WPS}.Start`, bad), { out: '', error: 'fi.w1.wpa_supplicant1.InvalidArgs' }, bad);
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.doesNotMatch(ours.log(), /WPS-(PBC|PIN)-ACTIVE/, 'no WPS run started');
    assert.equal((await gdbusCall(ours.bus, IFACE, `${PROPS}.Get`, I, 'State')).out, `(<'disconnected'>,)`);
    // A good request does start one.
    assert.deepEqual(await gdbusCall(ours.bus, IFACE, `${WPS}.Start`, `{'Role': <'enrollee'>, 'Type': <'pbc'>, 'MultiAP': <uint32 2>}`), { out: '(@a{sv} {},)', error: null });
    await until(() => /WPS-PBC-ACTIVE/.test(ours.log()), `the run started\n${ours.log()}`);
    // A PIN run without a Pin: both answer with the PIN they generated (8 digits, valid checksum).
    for (const side of [reference, ours]) {
      const generated = await gdbusCall(side.bus, IFACE, `${WPS}.Start`, `{'Role': <'enrollee'>, 'Type': <'pin'>}`);
      const pin = /^\(\{'Pin': <'(\d{8})'>\},\)$/.exec(generated.out)?.[1];
      assert.ok(pin, JSON.stringify(generated));
      const digits = [...pin].map(Number);
      const sum = 3 * (digits[0]! + digits[2]! + digits[4]! + digits[6]!) + digits[1]! + digits[3]! + digits[5]! + digits[7]!;
      assert.equal(sum % 10, 0, `${pin}: checksum digit`);
    }
    });
  });
});

describe('a WPS run over D-Bus: the same Event, Credentials and EAP signals as wpa_supplicant 2.10', () => {
  before(() => {
    requireTools('wpa_supplicant', 'hostapd', 'hostapd_cli', 'dbus-daemon', 'gdbus', 'ip');
    removeLeftovers();
  });

  /**
   * One Enrollee on the wire facing a Registrar, driven over D-Bus: PBC (success), then a wrong
   * PIN (failure). Returns the WPS signals and the Interface's EAP signals the monitor saw, the path left out.
   */
  async function enrolleeRun(b: Bench, enrollee: 'ours' | 'reference'): Promise<string[]> {
    const bus = await startPrivateBus(b.dir, 'bus');
    try {
      const hapdDir = join(b.dir, 'hapd');
      const staConf = b.file('sta.conf', wiredWpasConf(join(b.dir, 'wpas')));
      let ifname: string;
      let log: () => string;
      if (enrollee === 'ours') {
        // onboard sta here, the real hostapd in the namespace.
        const hostapd = b.hostapd(wiredHostapdConf(b.peerIf, hapdDir));
        await b.waitSocket(hapdDir, b.peerIf, hostapd);
        const sta = b.command('onboard-sta', 'env', [`DBUS_SYSTEM_BUS_ADDRESS=${bus.address}`, process.execPath, ONBOARD_BIN, 'sta', '-u', '-d']);
        ifname = b.localIf;
        log = sta.output;
        await until(() => /D-Bus: serving/.test(log()), `D-Bus up\n${log()}`);
      } else {
        // The real wpa_supplicant in the namespace, onboard ap here.
        const ap = b.onboard('ap', '-c', b.file('ap.conf', wiredHostapdConf(b.localIf, hapdDir)), '-d');
        await b.waitSocket(hapdDir, b.localIf, ap);
        const wpas = b.command('wpa_supplicant', 'ip', ['netns', 'exec', b.ns, 'env', `DBUS_SYSTEM_BUS_ADDRESS=${bus.address}`, 'wpa_supplicant', '-u', '-dd', '-K', '-t']);
        ifname = b.peerIf;
        log = wpas.output;
        await until(() => /dbus: Register D-Bus object/.test(log()), `wpa_supplicant -u up\n${log()}`);
      }
      const apIfname = enrollee === 'ours' ? b.peerIf : b.localIf;
      const apCli = (...command: string[]) => ctrlCli('hostapd_cli', hapdDir, apIfname, ...command);
      const created = await gdbusCall(bus, ROOT, 'fi.w1.wpa_supplicant1.CreateInterface', `{'Ifname': <'${ifname}'>, 'Driver': <'wired'>, 'ConfigFile': <'${staConf}'>}`);
      assert.equal(created.out, `(objectpath '${IFACE}',)`, `${created.error ?? ''}\n${log()}`);
      const monitor = gdbusMonitor(bus);
      await new Promise((r) => setTimeout(r, 500));
      const successes = () => monitor.lines().filter((l) => l.includes(`${WPS}.Event ('success'`)).length;
      const pbc = async () => {
        const before = successes();
        assert.equal(apCli('wps_pbc'), 'OK\n');
        assert.deepEqual(await gdbusCall(bus, IFACE, `${WPS}.Start`, `{'Role': <'enrollee'>, 'Type': <'pbc'>}`), { out: '(@a{sv} {},)', error: null });
        await until(() => successes() > before, `success\n${monitor.lines().join('\n')}\n${log()}`, 30_000);
        // wpa_supplicant_wps_event_success: the other networks come back 10 s later.
        await new Promise((r) => setTimeout(r, 11_000));
      };
      // wps_cred_processing=0 (the default): no Credentials signal.
      await pbc();
      // As NetworkManager does: the credentials are processed, and announced (Credentials).
      assert.deepEqual(await gdbusCall(bus, IFACE, `${PROPS}.Set`, WPS, 'ProcessCredentials', '<true>'), { out: '()', error: null });
      await pbc();

      assert.equal(apCli('wps_pin', 'any', '12345670'), 'OK\n');
      assert.deepEqual(await gdbusCall(bus, IFACE, `${WPS}.Start`, `{'Role': <'enrollee'>, 'Type': <'pin'>, 'Pin': <'12345678'>}`), { out: '(@a{sv} {},)', error: null });
      await until(() => monitor.lines().some((l) => l.includes(`${WPS}.Event ('fail'`)), `fail\n${monitor.lines().join('\n')}\n${log()}`, 30_000);
      await new Promise((r) => setTimeout(r, 500));
      monitor.stop();
      return monitor
        .lines()
        .filter((l) => l.includes(`${WPS}.`) || l.includes(`${I}.EAP (`) || l.includes(`${I}.NetworkAdded (`) || l.includes(`${I}.NetworkRemoved (`))
        .map((l) => l.slice(l.indexOf(': ') + 2))
        // A network by its path (the temporary WPS network's properties are not compared).
        .map((l) => (l.includes('.NetworkAdded (') ? l.slice(0, l.indexOf("', ") + 1) : l));
    } finally {
      bus.stop();
    }
  }

  it('PBC, PBC with ProcessCredentials set, a wrong PIN: Event success; Credentials then Event success; Event fail with msg and config_error; EAP started, accept proposed method, completion in each run', async () => {
    const reference = await withBench((b) => enrolleeRun(b, 'reference'));
    const ours = await withBench((b) => enrolleeRun(b, 'ours'));
    assert.deepEqual(ours, reference);
    assert.deepEqual(
      reference.filter((l) => l.startsWith(`${WPS}.`)).map((l) => l.slice(0, l.indexOf(' ('))),
      [`${WPS}.Event`, `${WPS}.Credentials`, `${WPS}.Event`, `${WPS}.Event`],
      reference.join('\n'),
    );
    // Each run's temporary WPS network: added at the start (wpas_wps_add_network; the credential of a
    // successful run takes its place), removed when the wrong-PIN run fails (wpas_clear_wps).
    assert.ok(reference.some((l) => l.startsWith(`${I}.NetworkAdded (`)), reference.join('\n'));
    assert.ok(reference.some((l) => l.startsWith(`${I}.NetworkRemoved (`)), reference.join('\n'));
    // wpas_dbus_signal_eap_status, once per eap_notify_status of each of the three runs.
    assert.equal(reference.filter((l) => l.startsWith(`${I}.EAP ('started', '')`)).length, 3, reference.join('\n'));
    assert.equal(reference.filter((l) => l.startsWith(`${I}.EAP ('completion', 'failure')`)).length, 3, reference.join('\n'));
  });
});

/** A byte array as gdbus prints it. */
function gvariantBytes(bytes: Buffer): string {
  return `[byte ${[...bytes].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')}]`;
}

describe('WPS.Start with MultiAP on the medium (beyond the reference)', () => {
  let dir: string;
  const processes = new OnboardProcesses();
  let bus: PrivateBus | null = null;
  let extender: ChildProcess | null = null;
  before(() => {
    requireTools('dbus-daemon', 'gdbus', 'hostapd_cli');
    dir = mkdtempSync(join(tmpdir(), 'onboard-dbus-multiap-'));
  });
  after(() => {
    processes.killAll();
    extender?.kill('SIGKILL');
    bus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('onboards the extender to the backhaul BSS; the stored network has multi_ap_backhaul_sta=1', async () => {
    const { socket } = await startGateway(processes, dir);
    bus = await startPrivateBus(dir, 'bus');
    const conf = join(dir, 'ext.conf');
    writeFileSync(conf, `ctrl_interface=${join(dir, 'wpas')}\nupdate_config=1\ndevice_name=extender\nconfig_methods=virtual_push_button display\n`);
    extender = spawn(process.execPath, [ONBOARD_BIN, 'sta', '-u', '-i', 'wlan1', '-c', conf, '-D', 'sim', '-p', `medium=${socket}`, '-d'], { env: bus.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    extender.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    extender.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await until(() => /D-Bus: serving/.test(log), `D-Bus up\n${log}`);
    // A second daemon cannot take the name (wpas_dbus_init fails, and so does the start).
    const second = spawnSync(process.execPath, [ONBOARD_BIN, 'sta', '-u'], { env: bus.env, encoding: 'utf8', timeout: 15_000 });
    assert.equal(second.status, 1, second.stderr);
    assert.match(second.stderr, /-u: the D-Bus name fi\.w1\.wpa_supplicant1 is owned by another process/);

    const path = (await gdbusCall(bus, ROOT, 'fi.w1.wpa_supplicant1.GetInterface', 'wlan1')).out;
    assert.equal(path, `(objectpath '${IFACE}',)`);
    assert.deepEqual(await gdbusCall(bus, IFACE, `${PROPS}.Set`, WPS, 'ProcessCredentials', '<true>'), { out: '()', error: null });
    const monitor = gdbusMonitor(bus);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(ctrlCli('hostapd_cli', join(dir, 'hapd'), 'wlan0', 'wps_pbc'), 'OK\n');
    assert.deepEqual(await gdbusCall(bus, IFACE, `${WPS}.Start`, `{'Role': <'enrollee'>, 'Type': <'pbc'>, 'MultiAP': <uint32 1>}`), { out: '(@a{sv} {},)', error: null });

    await until(() => monitor.lines().some((l) => l.includes(`${WPS}.Event ('success'`)), `WPS Event success\n${monitor.lines().join('\n')}\n${log}`, 30_000);
    await until(() => monitor.lines().some((l) => l.includes(`'State': <'completed'>`)), `State completed\n${monitor.lines().join('\n')}`, 30_000);
    monitor.stop();
    const lines = monitor.lines();
    // The backhaul credential: SSID "home-backhaul" as bytes.
    const credentials = lines.find((l) => l.includes(`${WPS}.Credentials`));
    assert.ok(credentials, lines.join('\n'));
    assert.ok(credentials.includes(`'SSID': <${gvariantBytes(Buffer.from('home-backhaul'))}>`), credentials);
    assert.ok(credentials.includes(`'Key': <${gvariantBytes(Buffer.from('backhaul-secret-42'))}>`), credentials);
    assert.match(credentials, /'AuthType': <\['wpa2-psk'\]>/);
    assert.match(credentials, /'EncrType': <\['aes'\]>/);
    assert.ok(lines.some((l) => l.includes(`${I}.NetworkAdded`)), 'NetworkAdded for the received network');
    assert.ok(lines.some((l) => l.includes(`${I}.ScanDone (true,)`)), lines.join('\n'));

    // CurrentBSS is the backhaul BSS (the radio's second BSSID).
    const current = /objectpath '([^']+)'/.exec((await gdbusCall(bus, IFACE, `${PROPS}.Get`, I, 'CurrentBSS')).out)![1]!;
    assert.match(current, /\/BSSs\/\d+$/);
    assert.equal((await gdbusCall(bus, current, `${PROPS}.Get`, 'fi.w1.wpa_supplicant1.BSS', 'BSSID')).out, '(<[byte 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01]>,)');
    assert.equal((await gdbusCall(bus, current, `${PROPS}.Get`, 'fi.w1.wpa_supplicant1.BSS', 'SSID')).out, `(<${gvariantBytes(Buffer.from('home-backhaul'))}>,)`);
    const network = /objectpath '([^']+)'/.exec((await gdbusCall(bus, IFACE, `${PROPS}.Get`, I, 'CurrentNetwork')).out)![1]!;
    const properties = (await gdbusCall(bus, network, `${PROPS}.Get`, 'fi.w1.wpa_supplicant1.Network', 'Properties')).out;
    assert.match(properties, /'multi_ap_backhaul_sta': <'1'>/);
    assert.match(properties, /'ssid': <'"home-backhaul"'>/);
    await until(() => readFileSync(conf, 'utf8').includes('multi_ap_backhaul_sta=1'), 'saved backhaul network');
    assert.match(ctrlCli('wpa_cli', join(dir, 'wpas'), 'wlan1', 'status'), /^multi_ap_backhaul_sta=1$/m);

    // FlushBSS 0 drops the BSSs not in use (BSSRemoved); a Scan finds the fronthaul BSS again under a
    // new id (BSSAdded, ScanDone), and BSSs changes with each.
    const bssMonitor = gdbusMonitor(bus);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(await gdbusCall(bus, IFACE, `${I}.FlushBSS`, 'uint32 0'), { out: '()', error: null });
    assert.deepEqual(await gdbusCall(bus, IFACE, `${I}.Scan`, `{'Type': <'active'>}`), { out: '()', error: null });
    await until(() => bssMonitor.lines().some((l) => l.includes(`${I}.BSSAdded`)), `BSSAdded\n${bssMonitor.lines().join('\n')}`);
    await new Promise((r) => setTimeout(r, 300));
    bssMonitor.stop();
    const bssLines = bssMonitor.lines();
    const removed = bssLines.filter((l) => l.includes(`${I}.BSSRemoved`)).map((l) => /objectpath '([^']+)'/.exec(l)![1]!);
    const added = bssLines.filter((l) => l.includes(`${I}.BSSAdded`)).map((l) => /objectpath '([^']+)'/.exec(l)![1]!);
    assert.ok(removed.length >= 1 && !removed.includes(current), bssLines.join('\n'));
    assert.ok(added.every((p) => !removed.includes(p)), 'a new BSS id, never reused');
    assert.ok(bssLines.some((l) => l.includes(`${I}.ScanDone (true,)`)), bssLines.join('\n'));
    assert.ok(bssLines.some((l) => l.startsWith(`${IFACE}: ${PROPS}.PropertiesChanged ('${I}', {'BSSs'`)), bssLines.join('\n'));
    const bsss = (await gdbusCall(bus, IFACE, `${PROPS}.Get`, I, 'BSSs')).out;
    for (const p of [current, ...added]) assert.ok(bsss.includes(`'${p}'`), `${p} in ${bsss}`);

    // SIGTERM: the interface goes (InterfaceRemoved), the name is released, exit 0.
    const last = gdbusMonitor(bus);
    await new Promise((r) => setTimeout(r, 500));
    extender.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => extender!.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    last.stop();
    assert.equal(code, 0, log);
    assert.ok(last.lines().some((l) => l.includes(`fi.w1.wpa_supplicant1.InterfaceRemoved (objectpath '${IFACE}',)`)), last.lines().join('\n'));
  });
});
