import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {KCAT_MISSING} from '../broker/kafka-helpers.js';
import {runDial, tempHome} from '../helpers/cli.js';

describe('dial tour --step kafka', () => {
  it('kcat reads what dial pub wrote, through the Kafka listener, and dial sub reads what kcat wrote', {skip: KCAT_MISSING, timeout: 120_000}, async (t) => {
    const r = await runDial(['tour', '--step', 'kafka'], {home: tempHome(t), timeoutMs: 110_000});
    assert.equal(r.code, 0, r.stdout.slice(-3000) + r.stderr);
    assert.match(r.stdout, /^\$ kcat -b 127\.0\.0\.1:\d+ -C -t payments/m);
    assert.match(r.stdout, /partition \d offset 0 key acct-1 headers source=tour: \{"id":1,"amount":42\}/);
    assert.match(r.stdout, /acct-2\t\{"id":2,"amount":7\}/);
  });

  it('without kcat, says how to install it and reads with dial sub', {timeout: 120_000}, async (t) => {
    const r = await runDial(['tour', '--step', 'kafka'], {home: tempHome(t), timeoutMs: 110_000, env: {PATH: '/nonexistent'}});
    assert.equal(r.code, 0, r.stdout.slice(-3000) + r.stderr);
    assert.match(r.stdout, /apt-get install -y kcat/);
    assert.match(r.stdout, /acct-1\t\{"id":1,"amount":42\}/);
  });
});
