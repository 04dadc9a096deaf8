import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CtrlServerCore } from '../../src/ctrl/server-core.js';
import { InternalErrorReport } from '../../src/daemon/internal-errors.js';
import { OnboardError } from '../../src/util/errors.js';

function core(report?: InternalErrorReport) {
  const seen: string[] = [];
  const server = new CtrlServerCore({
    maxRequestBytes: 64,
    maxAttached: 2,
    handle: (ctx) => {
      seen.push(`${ctx.command}|${ctx.args.join(',')}`);
      // A planted bug, and a typed refusal as the command table throws on purpose.
      if (ctx.command === 'BOOM') return (undefined as unknown as { x: string }).x;
      if (ctx.command === 'REFUSE') throw new OnboardError('refused', 'bad value');
      return 'OK\n';
    },
    ...(report ? { onInternalError: (error: unknown, command: string) => report.report(error, `control command ${command}`) } : {}),
  });
  return { server, seen };
}

describe('CtrlServerCore', () => {
  it('answers PING and hands other commands to the daemon, upper-casing the name', async () => {
    const { server, seen } = core();
    assert.equal(await server.request('/tmp/a', Buffer.from('PING')), 'PONG\n');
    assert.equal(await server.request('/tmp/a', Buffer.from('wps_pbc multi_ap=1')), 'OK\n');
    assert.deepEqual(seen, ['WPS_PBC|multi_ap=1']);
  });

  it('ATTACH/LEVEL/DETACH control which clients get events', async () => {
    const { server } = core();
    assert.equal(await server.request('/tmp/a', Buffer.from('ATTACH')), 'OK\n');
    assert.equal(await server.request('/tmp/b', Buffer.from('ATTACH')), 'OK\n');
    assert.equal(await server.request('/tmp/b', Buffer.from('LEVEL 4')), 'OK\n');
    assert.deepEqual(server.event(3, 'WPS-SUCCESS ').map((d) => [d.client, d.data.toString()]), [['/tmp/a', '<3>WPS-SUCCESS ']]);
    assert.equal(server.event(4, 'X').length, 2);
    assert.equal(await server.request('/tmp/a', Buffer.from('DETACH')), 'OK\n');
    assert.equal(await server.request('/tmp/a', Buffer.from('DETACH')), 'FAIL\n');
    assert.equal(await server.request('/tmp/c', Buffer.from('LEVEL 2')), 'FAIL\n');
  });

  it('is bounded: oversized requests, a full table of attached clients, dead clients', async () => {
    const { server } = core();
    assert.equal(await server.request('/tmp/a', Buffer.alloc(65, 0x41)), 'FAIL\n');
    await server.request('/tmp/a', Buffer.from('ATTACH'));
    await server.request('/tmp/b', Buffer.from('ATTACH'));
    for (let i = 0; i < 3; i++) server.delivered('/tmp/b', 'EAGAIN');
    // A new monitor is never refused: with the table full, the one failing most makes room.
    assert.equal(await server.request('/tmp/c', Buffer.from('ATTACH')), 'OK\n');
    assert.deepEqual(server.attachedClients, ['/tmp/a', '/tmp/c']);
    // wpa_supplicant_ctrl_iface_send: detached after more than 10 failures in a row, at once on ENOENT.
    for (let i = 0; i < 10; i++) server.delivered('/tmp/a', 'EAGAIN');
    assert.deepEqual(server.attachedClients, ['/tmp/a', '/tmp/c']);
    server.delivered('/tmp/a', 'ECONNREFUSED');
    server.delivered('/tmp/c', 'ENOENT');
    assert.deepEqual(server.attachedClients, []);
  });

  it('a typed refusal from the command table is FAIL', async () => {
    const { server } = core();
    assert.equal(await server.request('/tmp/a', Buffer.from('REFUSE')), 'FAIL\n');
  });

  it('a bug in the command table propagates when nothing reports it (tests, fuzz targets)', async () => {
    const { server } = core();
    await assert.rejects(server.request('/tmp/a', Buffer.from('BOOM')), TypeError);
  });

  it("in a daemon, a bug is logged at error level with its stack and counted; the client gets FAIL and the server keeps serving", async () => {
    const lines: string[] = [];
    const report = new InternalErrorReport((line) => lines.push(line));
    const { server } = core(report);
    assert.equal(await server.request('/tmp/a', Buffer.from('BOOM')), 'FAIL\n');
    assert.equal(await server.request('/tmp/a', Buffer.from('PING')), 'PONG\n');
    assert.equal(await server.request('/tmp/b', Buffer.from('wps_pbc')), 'OK\n');
    assert.equal(report.count, 1);
    assert.match(lines[0]!, /^internal error #1 while serving control command BOOM: TypeError: Cannot read properties of undefined/s);
    assert.match(lines[0]!, /\n\s+at Object\.handle .*server-core\.test\.js/);
  });
});
