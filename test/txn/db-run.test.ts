/**
 * dial txn setup / run --participant over real PostgreSQL and MariaDB
 * (started once for this file), as users run them: spawned bin/run.js.
 * Every test uses its own DIAL_HOME and its own databases.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {runDial, tempHome} from '../helpers/cli.js';
import {balance, databasesMissing, LOCAL_PASSWORD, type LocalServer, pgPrepared, startPg, startPgAndMaria, stopServers, xaRecover} from '../helpers/databases.js';

const skip = databasesMissing();
const ENV = {PGPASSWORD: LOCAL_PASSWORD, MYSQL_PWD: LOCAL_PASSWORD};

interface RunJson {
  outcome: string;
  txn: string;
  crashed?: string;
  violations: string[];
  branches: {proc: string; gid?: string; state?: string; inDoubt: boolean; balanceBefore?: number; balanceAfter?: number}[];
  total: {before: number; after: number; conserved: boolean};
  events: {kind: string; proc: string; text?: string; delayMs?: number; force?: boolean; record?: {type: string}}[];
}

describe('dial txn over PostgreSQL and MariaDB', {skip}, () => {
  let pg: LocalServer;
  let my: LocalServer;
  let n = 0;
  before(async () => {
    [pg, my] = await startPgAndMaria();
  });
  after(() => stopServers(pg, my));

  /** Fresh databases: two in PostgreSQL and one in MariaDB, set up (accounts a, b, c at 100). */
  async function fresh(t: {after: (fn: () => void) => void}, kinds = ['pg', 'pg', 'mysql']) {
    const home = tempHome(t as never);
    const id = ++n;
    const urls = kinds.map((k, i) => (k === 'dial' ? 'dial' : (k === 'pg' ? pg : my).url(`bank_${id}_${'abc'[i]}`)));
    const p = urls.flatMap((u) => ['--participant', u]);
    const r = await runDial(['txn', 'setup', ...p, '--json'], {home, env: ENV});
    assert.equal(r.code, 0, r.stderr);
    return {home, urls, p, id, db: (i: number) => `bank_${id}_${'abc'[i]}`};
  }

  test('setup creates the databases and accounts, and is idempotent', async (t) => {
    const home = tempHome(t);
    const p = ['--participant', pg.url('setup_a'), '--participant', pg.url('setup_b'), '--participant', my.url('setup_c')];
    const first = await runDial(['txn', 'setup', ...p, '--json'], {home, env: ENV});
    assert.equal(first.code, 0, first.stderr);
    const s1 = first.json<{databases: {account: string; balance: number; createdDatabase: boolean}[]; coordinatorId: string}>();
    assert.deepEqual(s1.databases.map((d) => [d.account, d.balance, d.createdDatabase]), [['a', 100, true], ['b', 100, true], ['c', 100, true]]);
    assert.equal(balance(pg, 'setup_a', 'a'), 100);
    assert.equal(balance(my, 'setup_c', 'c'), 100);
    pg.admin("UPDATE dial_accounts SET balance = 42 WHERE name = 'a'", 'setup_a');
    const second = await runDial(['txn', 'setup', ...p], {home, env: ENV});
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /setup_c/);
    assert.doesNotMatch(second.stdout, /database created/);
    assert.equal(balance(pg, 'setup_a', 'a'), 42, 'setup without --reset keeps balances');
    assert.equal(pg.admin('SELECT count(*) FROM dial_accounts', 'setup_a').trim(), '1');
    const reset = await runDial(['txn', 'setup', ...p, '--reset', '--json'], {home, env: ENV});
    assert.equal(reset.code, 0, reset.stderr);
    assert.equal(balance(pg, 'setup_a', 'a'), 100);
    assert.match(pg.admin("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'dial_accounts'::regclass AND contype = 'c'", 'setup_a'), /balance >= 0/);
  });

  test('a transfer over two PostgreSQL databases and a MariaDB commits everywhere; the swimlane shows each PREPARE, its answer and the forced writes', async (t) => {
    const f = await fresh(t);
    const text = await runDial(['txn', 'run', ...f.p, '--transfer', 'a->b:30,b->c:10'], {home: f.home, env: {...ENV, COLUMNS: '200'}});
    assert.equal(text.code, 0, text.stderr);
    for (const i of [0, 1]) assert.match(text.stdout, new RegExp(`PREPARE TRANSACTION 'dial:[0-9a-f]{8}:T[0-9a-z]+-\\d+:p${i + 1}' ok`));
    assert.match(text.stdout, /XA PREPARE 'dial:[0-9a-f]{8}:T[0-9a-z]+-\d+:p3' ok/);
    assert.match(text.stdout, /VOTE yes/);
    assert.match(text.stdout, /▣ force COMMIT/, 'the coordinator forces its decision');
    assert.match(text.stdout, /COMMIT PREPARED 'dial:/);
    assert.match(text.stdout, /XA COMMIT 'dial:/);
    assert.match(text.stdout, /COMMITTED in every branch; total 300 \(conserved\)/);
    assert.deepEqual([balance(pg, f.db(0), 'a'), balance(pg, f.db(1), 'b'), balance(my, f.db(2), 'c')], [70, 120, 110]);

    const r = await runDial(['txn', 'run', ...f.p, '--transfer', 'c->a:5', '--json'], {home: f.home, env: ENV});
    assert.equal(r.code, 0, r.stderr);
    const j = r.json<RunJson>();
    assert.equal(j.outcome, 'commit');
    assert.deepEqual(j.violations, []);
    assert.deepEqual(j.branches.map((b) => [b.proc, b.state, b.balanceBefore, b.balanceAfter]), [['p1', 'COMMIT', 70, 75], ['p2', 'COMMIT', 120, 120], ['p3', 'COMMIT', 110, 105]]);
    const forced = j.events.filter((e) => e.proc === 'c' && e.kind === 'log' && e.force).map((e) => e.record!.type);
    assert.deepEqual(forced, ['COMMIT']);
    assert.deepEqual([balance(pg, f.db(0), 'a'), balance(my, f.db(2), 'c')], [75, 105]);
    assert.deepEqual(pgPrepared(pg, f.db(0)), []);
    assert.deepEqual(xaRecover(my).filter((g) => g.includes(j.txn)), []);
  });

  test("mixed: real databases and dial's own participants in one transaction", async (t) => {
    const f = await fresh(t, ['pg', 'dial', 'mysql']);
    const r = await runDial(['txn', 'run', ...f.p, '--transfer', 'a->b:20,b->c:5', '--json'], {home: f.home, env: ENV});
    assert.equal(r.code, 0, r.stderr);
    const j = r.json<RunJson>();
    assert.equal(j.outcome, 'commit', JSON.stringify(j.branches));
    assert.deepEqual(j.branches.map((b) => [b.proc, b.state, b.balanceAfter]), [['p1', 'COMMIT', 80], ['p2', 'COMMIT', 115], ['p3', 'COMMIT', 105]]);
    assert.equal(j.branches[1].gid, undefined);
    assert.equal(balance(pg, f.db(0), 'a'), 80);
    assert.equal(balance(my, f.db(2), 'c'), 105);
    assert.ok(j.total.conserved);
    // dial's participant keeps its balance in its own log: the next run starts from 115.
    const again = await runDial(['txn', 'run', ...f.p, '--transfer', 'b->a:15', '--json'], {home: f.home, env: ENV});
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(again.json<RunJson>().branches.map((b) => b.balanceAfter), [95, 100, 105]);
  });

  test("mixed, coordinator SIGKILLed after its COMMIT: dial's own participant is in doubt too, and recover decides it from the log", async (t) => {
    const f = await fresh(t, ['pg', 'dial', 'mysql']);
    const r = await runDial(['txn', 'run', ...f.p, '--transfer', 'a->b:30,c->b:10', '--crash', 'coordinator:after-decision', '--json'], {home: f.home, env: ENV});
    assert.equal(r.code, 0, r.stderr);
    const j = r.json<RunJson>();
    assert.deepEqual(j.branches.map((b) => [b.proc, b.inDoubt]), [['p1', true], ['p2', true], ['p3', true]]);
    // A new run would ask a coordinator that knows nothing of it: refused until recovery.
    const blocked = await runDial(['txn', 'run', ...f.p, '--transfer', 'b->a:1'], {home: f.home, env: ENV});
    assert.equal(blocked.code, 1);
    assert.match(blocked.stderr, new RegExp(`dial participant p2 holds ${j.txn} in doubt`));
    assert.match(blocked.stderr, /dial txn recover --db/);
    const rec = await runDial(['txn', 'recover', '--db', '--json'], {home: f.home, env: ENV});
    assert.equal(rec.code, 0, rec.stderr);
    const acts = rec.json<{actions: {gid: string; url: string; action: string}[]}>().actions.filter((a) => a.gid.includes(j.txn));
    assert.deepEqual(acts.map((a) => [a.gid.split(':')[3], a.action]).sort(), [['p1', 'committed'], ['p2', 'committed'], ['p3', 'committed']]);
    const next = await runDial(['txn', 'run', ...f.p, '--transfer', 'b->a:1', '--json'], {home: f.home, env: ENV});
    assert.equal(next.code, 0, next.stderr);
    const k = next.json<RunJson>();
    assert.equal(k.outcome, 'commit');
    assert.deepEqual(k.branches.map((b) => b.balanceAfter), [71, 139, 90], 'the committed transfer reached every branch, dial p2 included');
    assert.ok(k.total.conserved);
  });

  test('--sql gives each branch its own statements; --vote-no rolls them back', async (t) => {
    const f = await fresh(t);
    pg.admin('CREATE TABLE notes (id int PRIMARY KEY, body text)', f.db(0));
    my.admin('CREATE TABLE notes (id int PRIMARY KEY, body text)', f.db(2));
    const sql = ['--sql', "INSERT INTO notes VALUES (1, 'one; with a semicolon'); INSERT INTO notes VALUES (2, 'two')", '--sql', '', '--sql', "INSERT INTO notes VALUES (3, 'three')"];
    const ok = await runDial(['txn', 'run', ...f.p, ...sql, '--json'], {home: f.home, env: ENV});
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.json<RunJson>().outcome, 'commit');
    assert.equal(pg.admin('SELECT string_agg(body, \'|\' ORDER BY id) FROM notes', f.db(0)).trim(), 'one; with a semicolon|two');
    assert.equal(my.admin('SELECT body FROM notes', f.db(2)).trim(), 'three');
    assert.equal(balance(pg, f.db(1), 'b'), 100, "'' keeps the demo transfer, which does not touch b here");

    const no = await runDial(['txn', 'run', ...f.p, '--sql', "INSERT INTO notes VALUES (10, 'x')", '--sql', '', '--sql', "INSERT INTO notes VALUES (30, 'y')", '--vote-no', 'p3', '--json'], {home: f.home, env: ENV});
    assert.equal(no.code, 0, no.stderr);
    const j = no.json<RunJson>();
    assert.equal(j.outcome, 'abort');
    assert.ok(j.events.some((e) => e.proc === 'p3' && /votes no: --vote-no/.test(e.text ?? '')));
    assert.equal(pg.admin('SELECT count(*) FROM notes WHERE id = 10', f.db(0)).trim(), '0');
    assert.equal(my.admin('SELECT count(*) FROM notes WHERE id = 30', f.db(2)).trim(), '0');
    assert.deepEqual(pgPrepared(pg, f.db(0)), []);
    assert.deepEqual(xaRecover(my).filter((g) => g.includes(j.txn)), []);
  });

  test('a branch that fails to prepare (CHECK balance >= 0: an overdraft) votes no and nothing is applied', async (t) => {
    for (const over of ['a->b:500', 'c->a:500']) {
      const f = await fresh(t);
      const r = await runDial(['txn', 'run', ...f.p, '--transfer', over, '--json'], {home: f.home, env: ENV});
      assert.equal(r.code, 0, r.stderr);
      const j = r.json<RunJson>();
      assert.equal(j.outcome, 'abort', over);
      const failing = over.startsWith('a') ? 'p1' : 'p3';
      const note = j.events.find((e) => e.proc === failing && /votes no/.test(e.text ?? ''));
      assert.match(note?.text ?? '', /check constraint|CONSTRAINT .*balance_not_negative/i, over);
      assert.deepEqual([balance(pg, f.db(0), 'a'), balance(pg, f.db(1), 'b'), balance(my, f.db(2), 'c')], [100, 100, 100]);
      assert.deepEqual(pgPrepared(pg, f.db(0)), []);
      assert.deepEqual(pgPrepared(pg, f.db(1)), []);
      assert.deepEqual(xaRecover(my).filter((g) => g.includes(j.txn)), []);
    }
  });

  test('a branch whose account row is missing (the UPDATE changes nothing, found after its one-round-trip prepare) votes no and is rolled back prepared', async (t) => {
    for (const [over, failing] of [['a->b:10', 'p1'], ['c->b:10', 'p3']] as const) {
      const f = await fresh(t);
      if (failing === 'p1') pg.admin("DELETE FROM dial_accounts WHERE name = 'a'", f.db(0));
      else my.admin("DELETE FROM dial_accounts WHERE name = 'c'", f.db(2));
      const r = await runDial(['txn', 'run', ...f.p, '--transfer', over, '--json'], {home: f.home, env: ENV});
      assert.equal(r.code, 0, r.stderr);
      const j = r.json<RunJson>();
      assert.equal(j.outcome, 'abort', over);
      const note = j.events.find((e) => e.proc === failing && /votes no/.test(e.text ?? ''));
      assert.match(note?.text ?? '', /no row changed by: UPDATE/, over);
      assert.equal(balance(pg, f.db(1), 'b'), 100);
      assert.deepEqual(pgPrepared(pg, f.db(0)), []);
      assert.deepEqual(pgPrepared(pg, f.db(1)), []);
      assert.deepEqual(xaRecover(my).filter((g) => g.includes(j.txn)), []);
    }
  });

  test('--delay slows the votes and the transaction still commits', async (t) => {
    const f = await fresh(t);
    const r = await runDial(['txn', 'run', ...f.p, '--delay', 'VOTE:150', '--json'], {home: f.home, env: ENV});
    assert.equal(r.code, 0, r.stderr);
    const j = r.json<RunJson & {durationMs: number}>();
    assert.equal(j.outcome, 'commit');
    const delayed = j.events.filter((e) => e.proc === 'c' && e.kind === 'recv' && e.delayMs === 150);
    assert.equal(delayed.length, 3);
    assert.ok(j.durationMs >= 150, `${j.durationMs}`);
    assert.equal(balance(pg, f.db(1), 'b'), 130);
  });

  test('connection loss: a lost COMMIT is resent; a lost vote aborts and rolls back every prepared branch', async (t) => {
    const f = await fresh(t);
    const r = await runDial(['txn', 'run', ...f.p, '--drop', 'c->p1:COMMIT#1', '--timeout', '200ms', '--json'], {home: f.home, env: ENV});
    assert.equal(r.code, 0, r.stderr);
    const j = r.json<RunJson>();
    assert.equal(j.outcome, 'commit');
    assert.ok(j.events.some((e) => e.kind === 'drop'));
    assert.ok(j.events.some((e) => /resends/.test(e.text ?? '')));
    assert.deepEqual([balance(pg, f.db(0), 'a'), balance(pg, f.db(1), 'b')], [70, 130]);

    const v = await runDial(['txn', 'run', ...f.p, '--drop', 'p3->c:VOTE', '--transfer', 'a->c:5', '--timeout', '200ms', '--json'], {home: f.home, env: ENV});
    assert.equal(v.code, 0, v.stderr);
    const k = v.json<RunJson>();
    assert.equal(k.outcome, 'abort');
    assert.ok(k.events.some((e) => /no vote from p3/.test(e.text ?? '')));
    assert.deepEqual([balance(pg, f.db(0), 'a'), balance(my, f.db(2), 'c')], [70, 100]);
    assert.deepEqual(xaRecover(my).filter((g) => g.includes(k.txn)), [], 'the lost connection left no XA branch behind');
  });

  test('errors: unreachable database (exit 3), wrong password, no password, no rights, bad URL', async (t) => {
    const home = tempHome(t);
    const gone = await runDial(['txn', 'run', '--participant', 'pg://postgres:x@127.0.0.1:1/bank_a', '--participant', my.url('e_b')], {home});
    assert.equal(gone.code, 3, gone.stderr);
    assert.match(gone.stderr, /cannot reach PostgreSQL at 127\.0\.0\.1:1 \(connection refused\)/);
    assert.match(gone.stderr, /is the server running/);
    const goneJson = await runDial(['txn', 'setup', '--participant', 'mysql://root:x@127.0.0.1:1/bank_a', '--json'], {home});
    assert.equal(goneJson.code, 3);
    assert.equal(goneJson.json<{error: {code: string}}>().error.code, 'DB_UNREACHABLE');

    const wrong = await runDial(['txn', 'setup', '--participant', pg.url('e_a', 'postgres', 'wrong')], {home});
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.match(wrong.stderr, /refused user 'postgres'.*password authentication failed/);
    assert.match(wrong.stderr, /check the user and password/);
    const wrongMy = await runDial(['txn', 'setup', '--participant', my.url('e_a', 'root', 'wrong')], {home});
    assert.equal(wrongMy.code, 1, wrongMy.stderr);
    assert.match(wrongMy.stderr, /refused user 'root'.*Access denied/);

    const started = Date.now();
    const nopw = await runDial(['txn', 'balances', '--participant', pg.url('e_a', 'postgres', '')], {home, timeoutMs: 20_000});
    assert.equal(nopw.code, 1, nopw.stderr);
    assert.match(nopw.stderr, /asks user 'postgres' for a password and none was given/);
    assert.match(nopw.stderr, /PGPASSWORD/);
    assert.ok(Date.now() - started < 10_000, 'does not hang on the open socket');

    my.admin("CREATE USER IF NOT EXISTS 'teller'@'127.0.0.1' IDENTIFIED BY 'pw'; CREATE DATABASE IF NOT EXISTS e_c; GRANT SELECT ON e_c.* TO 'teller'@'127.0.0.1'");
    const rights = await runDial(['txn', 'setup', '--participant', my.url('e_c', 'teller', 'pw')], {home});
    assert.equal(rights.code, 1, rights.stderr);
    assert.match(rights.stderr, /MariaDB\/MySQL at 127\.0\.0\.1:\d+\/e_c: creating the demo accounts failed: CREATE command denied to user 'teller'/);

    const bad = await runDial(['txn', 'run', '--participant', 'oracle://x@127.0.0.1/db', '--participant', 'dial'], {home});
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /is not a database URL or 'dial'/);
    const twice = await runDial(['txn', 'run', '--participant', pg.url('e_a'), '--participant', pg.url('e_a')], {home});
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /named twice/);
  });

  test('PostgreSQL with max_prepared_transactions = 0: says how to enable it, and leaves nothing behind', async (t) => {
    const off = await startPg({maxPrepared: 0});
    t.after(() => off.stop());
    const home = tempHome(t);
    const r = await runDial(['txn', 'setup', '--participant', off.url('np_a'), '--json'], {home});
    assert.equal(r.code, 1, r.stdout);
    const e = r.json<{error: {code: string; message: string; hint: string}}>().error;
    assert.equal(e.code, 'DB_NO_PREPARED');
    assert.match(e.message, /max_prepared_transactions = 0/);
    assert.match(e.hint, /max_prepared_transactions = 10.*restart PostgreSQL/);
    const run = await runDial(['txn', 'run', '--participant', off.url('np_a'), '--participant', 'dial'], {home, env: ENV});
    assert.equal(run.code, 1);
    assert.match(run.stderr, /prepared transactions disabled/);
    assert.equal(off.admin('SELECT count(*) FROM pg_prepared_xacts').trim(), '0');
  });
});
