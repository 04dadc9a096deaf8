import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScriptedRng, systemRng } from '../../src/util/rng.js';
import { AuthType, ConfigMethod, EncrType } from '../../src/wsc/constants.js';
import type { EnrolleeCapabilities, FronthaulNetwork } from '../../src/wsc/registrar-credential.js';
import { chooseCredential } from '../../src/wsc/registrar-credential.js';
import { pmkFromPassphrase } from '../../src/wpa/keys.js';

const ap: FronthaulNetwork = { ssid: Buffer.from('fronthaul'), authTypes: AuthType.Wpa2Psk | AuthType.WpaPsk, encrTypes: EncrType.Aes | EncrType.Tkip, passphrase: 'fronthaulpass' };
const sta: EnrolleeCapabilities = {
  macAddress: Buffer.alloc(6, 1),
  authTypeFlags: 0x0023,
  encrTypeFlags: 0x000d,
  configMethods: ConfigMethod.Display | ConfigMethod.VirtualPushButton,
  manufacturer: 'x',
  modelName: 'y',
};

describe('chooseCredential (wps_registrar.c wps_build_cred)', () => {
  it('derives the PSK exactly as 802.11 Annex J (IEEE test vector)', () => {
    assert.equal(pmkFromPassphrase('password', Buffer.from('IEEE')).toString('hex'), 'f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e');
  });

  it('picks WPA2-PSK/AES and the passphrase for a display-capable Enrollee', () => {
    const c = chooseCredential({ fronthaul: ap, unconfiguredAutoConfig: false }, sta, systemRng);
    assert.ok(c.ok);
    assert.equal(c.credential.authType, AuthType.Wpa2Psk);
    assert.equal(c.credential.encrType, EncrType.Aes);
    assert.equal(c.credential.networkKey.toString(), 'fronthaulpass');
  });

  it('falls back to WPA-PSK/TKIP for an Enrollee that only has those', () => {
    const c = chooseCredential({ fronthaul: ap, unconfiguredAutoConfig: false }, { ...sta, authTypeFlags: AuthType.WpaPsk, encrTypeFlags: EncrType.Tkip }, systemRng);
    assert.ok(c.ok && c.credential.authType === AuthType.WpaPsk && c.credential.encrType === EncrType.Tkip);
  });

  it('adds WPA2-PSK for Enrollees claiming WPA2 + WPA-PSK (reference workaround)', () => {
    const c = chooseCredential({ fronthaul: ap, unconfiguredAutoConfig: false }, { ...sta, authTypeFlags: AuthType.Wpa2 | AuthType.WpaPsk | AuthType.Open }, systemRng);
    assert.ok(c.ok && c.credential.authType === AuthType.Wpa2Psk);
  });

  it('the Apple AirPort workaround and no-display Enrollees get the PSK in hex', () => {
    for (const e of [{ ...sta, manufacturer: 'Apple Inc.', modelName: 'AirPort' }, { ...sta, configMethods: ConfigMethod.PushButton }]) {
      const c = chooseCredential({ fronthaul: ap, unconfiguredAutoConfig: false }, e, systemRng);
      assert.ok(c.ok);
      assert.equal(c.credential.networkKey.toString(), pmkFromPassphrase('fronthaulpass', ap.ssid).toString('hex'));
    }
  });

  it('an unconfigured AP makes up a 22-character passphrase', () => {
    const c = chooseCredential({ fronthaul: ap, unconfiguredAutoConfig: true }, sta, new ScriptedRng([Buffer.alloc(16, 0xfb)]));
    assert.ok(c.ok);
    assert.equal(c.credential.networkKey.toString(), Buffer.alloc(16, 0xfb).toString('base64').replace(/=+$/, ''));
    assert.equal(c.credential.networkKey.length, 22);
    assert.equal(c.newKey?.kind, 'ap-passphrase');
  });

  it('force_per_enrollee_psk or no key at all: a random per-device PSK', () => {
    const c = chooseCredential({ fronthaul: ap, unconfiguredAutoConfig: false, forcePerEnrolleePsk: true }, sta, new ScriptedRng([Buffer.alloc(32, 7)]));
    assert.ok(c.ok);
    assert.equal(c.credential.networkKey.toString(), '07'.repeat(32));
    assert.equal(c.newKey?.kind, 'per-device-psk');
  });

  it('backhaul only for exactly 0x80', () => {
    const backhaul = { ssid: Buffer.from('bh'), passphrase: 'backhaulpass123' };
    for (const [multiApExtension, kind] of [[0x80, 'backhaul'], [0xc0, 'fronthaul'], [undefined, 'fronthaul']] as const) {
      const c = chooseCredential({ fronthaul: ap, backhaul, unconfiguredAutoConfig: false }, { ...sta, ...(multiApExtension !== undefined ? { multiApExtension } : {}) }, systemRng);
      assert.ok(c.ok);
      assert.equal(c.kind, kind, `multiApExtension=${multiApExtension}`);
    }
  });
});
