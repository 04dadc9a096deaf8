/**
 * The captured configuration files drive a full in-memory WSC registration, and the credential
 * the Enrollee receives is saved the way the reference saved it (wpa_supplicant.conf.after).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyWpsCredentials, deviceInfoFromWpaSupplicant, parseHostapdConf, parseWpaSupplicantConf, registrarOptionsFromHostapd,
} from '../../src/config/index.js';
import { EnrolleeRun, Registrar } from '../../src/wsc/index.js';
import { pump } from '../support/wsc-fixtures.js';
import { REAL_PBC_HOSTAPD_CONF, REAL_PBC_WPAS_AFTER, withoutDefaultMeshFwding } from './capture-fixtures.js';

const STA_MAC = Buffer.from('020000000b01', 'hex');
const AP_MAC = Buffer.from('020000000a01', 'hex');
const PRE_RUN = REAL_PBC_WPAS_AFTER.slice(0, REAL_PBC_WPAS_AFTER.indexOf('\nnetwork={') + 1);

function run(multiAp: boolean) {
  const ap = parseHostapdConf(REAL_PBC_HOSTAPD_CONF).config;
  const bss = ap.bss[0];
  assert.ok(bss);
  const options = registrarOptionsFromHostapd(bss, ap.radio, { macAddress: AP_MAC });
  assert.ok(options);
  const registrar = new Registrar(options);
  registrar.pushButton(0);

  const sta = parseWpaSupplicantConf(PRE_RUN).config;
  const enrollee = new EnrolleeRun({
    device: deviceInfoFromWpaSupplicant(sta.globals, { macAddress: STA_MAC }),
    method: { kind: 'pbc' },
    ...(multiAp ? { multiApRequest: { profile: 1 } } : {}),
  });
  const session = registrar.startSession(STA_MAC, 0);
  assert.ok(session);
  pump(enrollee, session, 0);
  const outcome = enrollee.outcome;
  assert.equal(outcome?.status, 'success');
  if (outcome?.status !== 'success') throw new Error('unreachable');
  applyWpsCredentials(sta, outcome.credentials.map((c) => c.credential), { multiApBackhaulSta: multiAp });
  return sta;
}

describe('capture configuration → registration → saved configuration', () => {
  it('a PBC run saves exactly what wpa_supplicant 2.10 saved', () => {
    assert.equal(run(false).toString(), withoutDefaultMeshFwding(REAL_PBC_WPAS_AFTER));
  });

  it('a Multi-AP backhaul run saves the backhaul network with multi_ap_backhaul_sta=1', () => {
    assert.equal(
      run(true).toString(),
      `${PRE_RUN}network={\n\tssid="backhaul"\n\tpsk="backhaulpass123"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tauth_alg=OPEN\n\tpbss=2\n\tmulti_ap_backhaul_sta=1\n}\n`,
    );
  });
});
