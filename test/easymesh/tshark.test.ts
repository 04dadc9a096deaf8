/**
 * tshark's ieee1905 dissector (Debian's Wireshark, the tool prplMesh's captures were summarised with)
 * over every CMDU our Controller and Agent send in a full onboarding, a Renew and a tear-down:
 * no malformed frame, no error expert item, the message types and TLVs it sees, and the WSC M1/M2
 * inside the WSC TLVs (with the profile-2 Default 802.1Q Settings and Traffic Separation Policy TLVs).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IEEE1905_ETHERTYPE } from '../../src/ieee1905/index.js';
import { LinkType, writePcap } from '../../src/pcap/pcap.js';
import { Controller } from '../../src/easymesh/index.js';
import { parseMac } from '../../src/util/mac.js';
import { AGENT2_AL, CONTROLLER_AL, Wire, makeAgent, meshDevice, selftestConfigs } from '../support/easymesh-fixtures.js';
import { requireTools } from '../support/interop.js';

function tsharkFields(pcap: string, filter: string, names: string[]): string[][] {
  return execFileSync('tshark', ['-r', pcap, '-Y', filter, '-T', 'fields', ...names.flatMap((n) => ['-e', n])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .trim().split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

describe('tshark over our CMDUs', () => {
  let dir: string;
  let pcap: string;
  let frameCount = 0;

  before(() => {
    requireTools('tshark');
    const controller = new Controller({
      alMac: CONTROLLER_AL, interfaces: [{ name: 'veth-gw', mac: parseMac('02:00:00:00:c0:10') }], device: meshDevice('controller', 0xc0, CONTROLLER_AL),
      bssConfigs: selftestConfigs(), trafficSeparation: { primaryVlanId: 10, defaultPcp: 3, ssids: [{ ssid: Buffer.from('Mesh-FH'), vlanId: 10 }] },
    });
    const agent = makeAgent();
    const agent2 = makeAgent(AGENT2_AL);
    const wire = new Wire(controller, [agent, agent2]);
    wire.take(controller, controller.start(0));
    wire.take(agent, agent.start(1000));
    wire.take(agent2, agent2.start(1000));
    wire.run(1000);
    wire.take(controller, controller.renew(5000));
    wire.run(5000);
    const header = Buffer.alloc(2);
    header.writeUInt16BE(IEEE1905_ETHERTYPE);
    const records = wire.log.map(({ frame }, i) => ({ timestampUs: BigInt(i) * 1000n, originalLength: 0, data: Buffer.concat([frame.dst, frame.src, header, frame.payload]) }));
    for (const r of records) r.originalLength = r.data.length;
    frameCount = records.length;
    dir = mkdtempSync(join(tmpdir(), 'onboard-1905-'));
    pcap = join(dir, 'mesh.pcap');
    writeFileSync(pcap, writePcap({ linkType: LinkType.Ethernet, snapLength: 65535, records }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('every frame is ieee1905, none malformed, no error expert item', () => {
    assert.deepEqual(tsharkFields(pcap, '_ws.malformed || _ws.expert.severity == error', ['frame.number']), []);
    const protocols = tsharkFields(pcap, 'frame', ['frame.protocols']);
    assert.equal(protocols.length, frameCount);
    assert.ok(protocols.every(([p]) => p === 'eth:ethertype:ieee1905' || p!.startsWith('eth:ethertype:ieee1905:')), protocols.map(([p]) => p).join(' '));
  });

  it('the message types of the whole exchange, and M1/M2 inside the WSC CMDUs', () => {
    const types = new Set(tsharkFields(pcap, 'ieee1905', ['ieee1905.message_type']).map(([t]) => t));
    for (const t of ['0x0000', '0x0002', '0x0003', '0x0007', '0x0008', '0x0009', '0x000a']) assert.ok(types.has(t), `${t} in ${[...types].join(',')}`);
    const wsc = tsharkFields(pcap, 'ieee1905.message_type == 0x0009', ['wps.message_type', 'ieee1905.ap_radio_identifier']);
    const m1 = wsc.filter(([m]) => m === '0x04');
    const m2 = wsc.filter(([m]) => m!.startsWith('0x05'));
    assert.equal(m1.length, 8, 'an M1 per radio, two Agents, initial and Renew');
    assert.equal(m2.length, 8);
    assert.ok(m2.some(([m, radio]) => m === '0x05,0x05' && radio === '06000000a0ff'), 'two M2s in one CMDU for the configured radio');
    const tlvTypes = tsharkFields(pcap, 'ieee1905.message_type == 0x0009 && wps.message_type == 0x05', ['ieee1905.tlv_type']);
    assert.equal(tlvTypes.length, 8);
    assert.ok(tlvTypes.every(([types]) => types!.split(',').includes('0xb5') && types!.split(',').includes('0xb6')), JSON.stringify(tlvTypes));
  });

  it('the Search carries the Multi-AP Profile and the Response the controller service', () => {
    const searches = tsharkFields(pcap, 'ieee1905.message_type == 0x0007', ['ieee1905.multi_ap_version', 'ieee1905.searched_role', 'ieee1905.supported_service.service', 'ieee1905.searched_service.service']);
    assert.ok(searches.length >= 4);
    assert.ok(searches.every((row) => row.join(' ') === '2 0x00 0x01 0x00'), JSON.stringify(searches));
    const responses = tsharkFields(pcap, 'ieee1905.message_type == 0x0008', ['ieee1905.supported_role', 'ieee1905.supported.freq_band', 'ieee1905.supported_service.service']);
    assert.deepEqual(responses.map((r) => r.join(' ')).sort(), ['0x00 0x00 0x00', '0x00 0x00 0x00', '0x00 0x01 0x00', '0x00 0x01 0x00']);
  });
});
