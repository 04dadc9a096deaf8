/** The README's four-terminal walkthrough, run as written (see test/support/walkthrough.ts). */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Walkthrough } from './support/walkthrough.js';

describe('README walkthrough (four terminals)', () => {
  let walk: Walkthrough | undefined;
  after(() => walk?.close());

  it('onboards the extender as a backhaul STA, as the README says', async () => {
    walk = new Walkthrough();
    const daemons = await walk.startDaemons();
    // Terminal 4 as written: the two buttons, then status.
    assert.match(walk.type(walk.blocks[3]!), /^OK\nOK\n/, 'both buttons pushed');
    await walk.checkOutcome(daemons);
  });
});
