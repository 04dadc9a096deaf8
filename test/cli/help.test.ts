/**
 * -h/--help and -v/--version of `onboard` and of every subcommand, as hostapd, wpa_supplicant and
 * wpa_cli answer them: the usage on stdout and exit 0; a wrong option: exit 2, usage on stderr.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/onboard.js', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
const onboard = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

const SUBCOMMANDS = ['ap', 'sta', 'cli', 'demo', 'medium'];

describe('onboard --help and --version', () => {
  for (const command of SUBCOMMANDS) {
    it(`onboard ${command} -h, --help and onboard help ${command}: its own synopsis and options on stdout, exit 0`, () => {
      const outputs = [onboard(command, '-h'), onboard(command, '--help'), onboard('help', command)].map((r) => {
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
        return r.stdout;
      });
      assert.equal(outputs[1], outputs[0]);
      assert.equal(outputs[2], outputs[0]);
      const text = outputs[0]!;
      assert.ok(text.startsWith(`onboard v${version}: `), text.split('\n')[0]);
      assert.match(text, new RegExp(`^ *(usage: )?onboard ${command} `, 'm'), 'a synopsis line');
      assert.match(text, /^ *(-h|-h, --help) +(=|show)/m, 'the options, -h among them');
      assert.match(text, /^example:\n {2}onboard /m);
    });

    it(`onboard ${command} --bogus: unknown option, usage on stderr, exit 2`, () => {
      const r = onboard(command, '--bogus');
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /unknown option --bogus\n/);
      assert.match(r.stderr, new RegExp(`onboard ${command} `));
    });
  }

  it('--version, -v and version print the version from package.json; so do the daemons\' -v', () => {
    for (const args of [['--version'], ['-v'], ['version'], ['ap', '-v'], ['sta', '-v'], ['cli', '-v'], ['medium', '--version'], ['sta', '--version'], ['demo', '-v']]) {
      const r = onboard(...args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, `onboard v${version}\n`, args.join(' '));
    }
  });

  it('the top-level usage names every subcommand with its current options', () => {
    const r = onboard('--help');
    assert.equal(r.status, 0);
    for (const command of SUBCOMMANDS) assert.match(r.stdout, new RegExp(`^ {2}${command} `, 'm'));
    assert.match(r.stdout, /demo \[--wired\] \[--pcap FILE\] \[--json\]/);
    assert.match(r.stdout, /sta .*-D wired\|sim\] \[-p DRIVER_PARAMS\]/);
    assert.match(r.stdout, /npx onboard/);
    assert.equal(onboard('-h').stdout, r.stdout);
    assert.equal(onboard('help').stdout, r.stdout);
  });

  it('no command, an unknown command or option: usage on stderr, exit 2', () => {
    for (const args of [[], ['frobnicate'], ['--frobnicate']]) {
      const r = onboard(...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /usage: onboard <command>/);
    }
    assert.match(onboard('frobnicate').stderr, /^onboard: unknown command frobnicate\n/);
    assert.match(onboard('--frobnicate').stderr, /^onboard: unknown option --frobnicate\n/);
  });

  it('the flags each usage lists are accepted (the run stops later, at the missing configuration)', () => {
    const ap = onboard('ap', '-dKt');
    assert.equal(ap.status, 2);
    assert.match(ap.stderr, /^onboard ap: a configuration file is required\n/);
    const sta = onboard('sta', '-dKt', '-D', 'sim', '-p', 'medium=/nonexistent');
    assert.equal(sta.status, 2);
    assert.match(sta.stderr, /^onboard sta: -i and -c \(or -g or -u\) are required\n/);
  });

  it('onboard sta -u acts: it needs the system D-Bus, and says so when there is none (exit 1, nothing left open)', () => {
    const r = spawnSync(process.execPath, [bin, 'sta', '-u'], { encoding: 'utf8', env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent/onboard-test-bus' } });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^onboard sta: -u: cannot use the system D-Bus: .*ENOENT/m);
    assert.doesNotMatch(r.stderr + r.stdout, /not (implemented|acted on)/);
  });
});
