import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {missingServer} from '../../src/txn/db/local-server.js';
import {runDial, tempHome} from '../helpers/cli.js';

const PG_MISSING = missingServer('pg');
const MARIADB_MISSING = missingServer('mysql');

describe('dial tour --step txn-db', () => {
  it('leaves a PostgreSQL branch in doubt after a coordinator crash, shows its lock, and recover rolls it back', {skip: PG_MISSING, timeout: 180_000}, async (t) => {
    const r = await runDial(['tour', '--step', 'txn-db'], {home: tempHome(t), timeoutMs: 170_000});
    assert.equal(r.code, 0, r.stdout.slice(-4000) + r.stderr);
    const out = r.stdout;
    // The crash run: both PostgreSQL branches (and MariaDB's) prepared and in doubt.
    assert.match(out, /^\$ dial txn run --participant pg:\/\/postgres@127\.0\.0\.1:\d+\/bank_a .*--crash coordinator:after-votes$/m);
    assert.match(out, /p1 +pg:\/\/postgres@127\.0\.0\.1:\d+\/bank_a +dial:[0-9a-f]{8}:T[0-9a-z]+-\d+:p1 +PREPARED \(in doubt\)/);
    if (!MARIADB_MISSING) assert.match(out, /p3 +mysql:\/\/root@127\.0\.0\.1:\d+\/bank_c +dial:[0-9a-f]{8}:T[0-9a-z]+-\d+:p3 +PREPARED \(in doubt\)/);
    // status: the in-doubt branch, its locked row, and a plain UPDATE that gave up.
    const status = out.slice(out.indexOf('$ dial txn status --db'), out.indexOf('$ dial txn recover --db'));
    assert.match(status, /dial:[0-9a-f]{8}:T[0-9a-z]+-\d+:p1 +pg:\/\/postgres@127\.0\.0\.1:\d+\/bank_a .*presumed abort/);
    assert.match(status, /dial_accounts 'a' +dial:[0-9a-f]{8}:T[0-9a-z]+-\d+:p1 +waited [\d.]+m?s: canceling statement due to lock timeout/);
    // recover: every branch rolled back (presumed abort); balances back to 100 each, total conserved.
    const recover = out.slice(out.indexOf('$ dial txn recover --db'), out.indexOf('$ dial txn balances --db'));
    assert.match(recover, /dial:[0-9a-f]{8}:T[0-9a-z]+-\d+:p1 .*rolled back/);
    assert.match(recover, /dial:[0-9a-f]{8}:T[0-9a-z]+-\d+:p2 .*rolled back/);
    const balances = out.slice(out.indexOf('$ dial txn balances --db'));
    assert.match(balances, /bank_a +a +100/);
    assert.match(balances, /bank_b +b +100/);
    assert.match(balances, /conserved/);
    assert.doesNotMatch(balances, /NOT conserved|not conserved/);
  });

  it('without PostgreSQL, says how to install it', {skip: PG_MISSING ? false : 'PostgreSQL is installed here (the step runs above)', timeout: 120_000}, async (t) => {
    const r = await runDial(['tour', '--step', 'txn-db'], {home: tempHome(t), timeoutMs: 110_000});
    assert.equal(r.code, 0, r.stdout.slice(-3000) + r.stderr);
    assert.match(r.stdout, /apt-get install -y postgresql/);
    assert.doesNotMatch(r.stdout, /\$ dial txn run/);
  });
});
