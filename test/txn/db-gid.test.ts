import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {test} from 'node:test';
import {formatGid, newTxnId, parseGid, sqlSafeGid, txnStartedAt} from '../../src/txn/db/gid.js';

test('dial GIDs: documented format, parsed back, foreign ones are not dial', () => {
  const txn = newTxnId(Date.UTC(2026, 11, 7, 10, 0, 0));
  const gid = formatGid({coordinator: '3f9a1c2e', txn, branch: 'p2'});
  assert.match(gid, /^dial:3f9a1c2e:T[0-9a-z]+-\d+:p2$/);
  assert.ok(gid.length < 64, 'fits an XA gtrid');
  assert.deepEqual(parseGid(gid), {coordinator: '3f9a1c2e', txn, branch: 'p2'});
  assert.equal(txnStartedAt(txn), Date.UTC(2026, 11, 7, 10, 0, 0));
  for (const g of ['billing-42', 'dial:XYZ:T1-1:p1', 'dial:3f9a1c2e:T1-1:q1', 'dial:3f9a1c2e:T1-1:p1:extra']) assert.equal(parseGid(g), undefined, g);
  assert.ok(sqlSafeGid(gid));
  assert.ok(!sqlSafeGid("x'; DROP TABLE dial_accounts; --"));
});

test('two coordinator processes never make the same transaction id in the same millisecond', () => {
  const code = "import('./src/txn/db/gid.ts').then((g) => console.log(g.newTxnId(1e12)))";
  const ids = [0, 1].map(() => execFileSync(process.execPath, ['--import', 'tsx', '-e', code], {cwd: new URL('../..', import.meta.url)}).toString().trim());
  assert.match(ids[0], /^T[0-9a-z]+-\d+$/);
  assert.notEqual(ids[0], ids[1]);
});
