/**
 * The wired STA against wpa_supplicant 2.10 -Dwired with networks configured and no AP
 * (test/vectors/ctrl/wpa-supplicant-2.10-wired-association.txt): which network is in use and how
 * it is taken and left ("Associated with" the PAE group address, SUBNET-STATUS-UPDATE,
 * CTRL-EVENT-CONNECTED for an open network, DISCONNECTED and DSCP-POLICY on leaving), what
 * STATUS, LIST_NETWORKS, SELECT_NETWORK, DISABLE_NETWORK, ENABLE_NETWORK, DISCONNECT, RECONNECT and
 * REMOVE_NETWORK answer, and the network events: every reply and event as recorded, but for the
 * EAPOL state lines STATUS has for an IEEE 802.1X network, which onboard does not run (README).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transcriptSessions, wiredDaemon } from '../support/ctrl-transcript.js';

/** wpa_supplicant_ctrl_iface_status's EAPOL lines (eapol_sm_get_status), for 802.1X key management only. */
const EAPOL_STATUS_LINES = /^(Supplicant PAE state|suppPortStatus|EAP state)=.*\n/gm;

const conf = (session: number) => readFileSync(fileURLToPath(new URL(`../../../test/vectors/ctrl/wpa-supplicant-2.10-wired-association-${session}.conf`, import.meta.url)), 'utf8');

describe('the network in use on a wire, as wpa_supplicant 2.10 -Dwired picks it', () => {
  const sessions = transcriptSessions('wpa-supplicant-2.10-wired-association.txt');

  it('has the three recorded sessions, and the EAPOL lines left out are only those of 802.1X networks', () => {
    assert.equal(sessions.length, 3);
    for (const { request, reply } of sessions.flat()) {
      if (EAPOL_STATUS_LINES.test(reply)) assert.match(reply, /^key_mgmt=WPA2\/IEEE 802\.1X\/EAP$/m, request);
      EAPOL_STATUS_LINES.lastIndex = 0;
    }
  });

  sessions.forEach((exchanges, i) => {
    it(`session ${i + 1}: the same replies and events, request by request`, async () => {
      const daemon = wiredDaemon(conf(i + 1));
      for (const [n, { request, reply, events }] of exchanges.entries()) {
        const got = await daemon.request(request);
        assert.equal(got.reply, reply.replace(EAPOL_STATUS_LINES, ''), `${request} (#${n})`);
        assert.deepEqual(got.events, events, `${request} (#${n})`);
      }
    });
  });
});
