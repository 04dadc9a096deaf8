/**
 * onboard's D-Bus objects against the real wpa_supplicant 2.10's introspection data
 * (test/vectors/dbus, taken from `wpa_supplicant -u`): every interface, method, signal and property
 * onboard serves is the reference's, with its argument names, types and directions and its access,
 * in the reference's order; and the members a WPS-capable network manager uses are all there.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BSS_DESC, INTERFACE_DESC, NETWORK_DESC, ROOT_DESC, WPS_DESC, containerXml, objectXml } from '../../src/dbus/introspection.js';
import { introspectionShape } from '../support/dbus.js';

const VECTORS = fileURLToPath(new URL('../../../test/vectors/dbus/', import.meta.url));
const reference = (path: string) => readFileSync(`${VECTORS}wpa_supplicant-2.10-introspect-${path}.xml`, 'utf8');

/** Each of our interfaces' members must be the reference's, in the reference's relative order. */
function assertSubsetOfReference(ours: string, theirs: string): void {
  const mine = introspectionShape(ours);
  const real = introspectionShape(theirs);
  for (const [name, members] of mine) {
    const referenceMembers = real.get(name);
    assert.ok(referenceMembers, `interface ${name} is the reference's`);
    const order: number[] = [];
    for (const member of members) {
      const index = referenceMembers.findIndex((m) => m.kind === member.kind && m.name === member.name);
      assert.ok(index >= 0, `${name}: ${member.kind} ${member.name} exists in wpa_supplicant 2.10`);
      assert.equal(member.shape, referenceMembers[index]!.shape, `${name}: ${member.kind} ${member.name}: arguments/type as in wpa_supplicant 2.10`);
      order.push(index);
    }
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `${name}: members in the reference's order`);
  }
}

describe('D-Bus introspection against wpa_supplicant 2.10', () => {
  it('root object: CreateInterface, GetInterface, RemoveInterface, Interfaces, InterfaceAdded/Removed as the reference', () => {
    const ours = objectXml([ROOT_DESC], ['Interfaces']);
    assertSubsetOfReference(ours, reference('fi_w1_wpa_supplicant1'));
    const names = introspectionShape(ours).get('fi.w1.wpa_supplicant1')!.map((m) => m.name);
    for (const required of ['CreateInterface', 'GetInterface', 'RemoveInterface', 'Interfaces', 'InterfaceAdded', 'InterfaceRemoved']) assert.ok(names.includes(required), required);
  });

  it('interface object: Interface and Interface.WPS members as the reference', () => {
    const ours = objectXml([INTERFACE_DESC, WPS_DESC], ['Networks']);
    assertSubsetOfReference(ours, reference('fi_w1_wpa_supplicant1_Interfaces_0'));
    const shape = introspectionShape(ours);
    const iface = shape.get('fi.w1.wpa_supplicant1.Interface')!.map((m) => m.name);
    for (const required of ['State', 'CurrentBSS', 'Networks', 'BSSs', 'AddNetwork', 'RemoveNetwork', 'SelectNetwork', 'Disconnect', 'Scan', 'PropertiesChanged', 'NetworkAdded', 'NetworkRemoved', 'BSSAdded', 'BSSRemoved', 'ScanDone']) {
      assert.ok(iface.includes(required), required);
    }
    const wps = shape.get('fi.w1.wpa_supplicant1.Interface.WPS')!.map((m) => m.name);
    for (const required of ['Start', 'Cancel', 'Event', 'Credentials', 'ProcessCredentials']) assert.ok(wps.includes(required), required);
  });

  it('network object: the same XML as the reference, byte for byte', () => {
    assert.equal(objectXml([NETWORK_DESC], []), reference('fi_w1_wpa_supplicant1_Interfaces_0_Networks_0'));
  });

  it('container paths: libdbus\'s indented child list, byte for byte', () => {
    assert.equal(containerXml(['0']), reference('fi_w1_wpa_supplicant1_Interfaces'));
    assert.equal(containerXml(['0', '1', '2', '3']), reference('fi_w1_wpa_supplicant1_Interfaces_0_Networks'));
  });

  it('BSS object: the property table of dbus_new.c (wpas_dbus_bss_properties), all read-only', () => {
    // No BSS exists on the wired driver the vectors were taken with; the table is 2.10's source.
    assert.deepEqual(
      BSS_DESC.properties.map((p) => `${p.name}:${p.type}:${p.access}`),
      ['SSID:ay', 'BSSID:ay', 'Privacy:b', 'Mode:s', 'Signal:n', 'Frequency:q', 'Rates:au', 'WPA:a{sv}', 'RSN:a{sv}', 'WPS:a{sv}', 'IEs:ay', 'Age:u'].map((p) => `${p}:read`),
    );
  });
});
