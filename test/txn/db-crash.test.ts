/**
 * Real crash tests: `dial txn run --participant ... --crash coordinator:POINT`
 * SIGKILLs the coordinator process at each coordinator crash point of 2PC;
 * SQL (pg_prepared_xacts, XA RECOVER) checks what the databases hold in
 * doubt, `txn status --db` shows it with age and locks, `txn recover --db`
 * resolves it to the logged outcome (presumed abort where nothing was
 * decided), and `txn balances --db` shows the total conserved.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {runDial, tempHome} from '../helpers/cli.js';
import {balance, databasesMissing, LOCAL_PASSWORD, type LocalServer, pgPrepared, startPgAndMaria, stopServers, xaRecover} from '../helpers/databases.js';

const skip = databasesMissing();
const ENV = {PGPASSWORD: LOCAL_PASSWORD, MYSQL_PWD: LOCAL_PASSWORD};

interface RunJson {
  outcome: string;
  txn: string;
  crashed?: string;
  branches: {proc: string; gid: string; inDoubt: boolean}[];
}
interface StatusJson {
  databases: {url: string; reachable: boolean; inDoubt: {gid: string; ageMs?: number; owned: string; logged?: string; presumed?: boolean}[]; locked: {key: string; gid?: string; probe?: {waitedMs: number; message: string}}[]}[];
}
interface RecoverJson {
  actions: {gid: string; action: string; why: string}[];
  leftInDoubt: string[];
  total: number;
}

/** Per crash point: which branches may be prepared after the kill, and what the log decided. */
const POINTS: {point: string; maybe: string[]; must: string[]; outcome: 'commit' | 'abort'}[] = [
  {point: 'before-prepare', maybe: [], must: [], outcome: 'abort'},
  // PREPARE went to p1 only: its branch may or may not have prepared before the kill.
  {point: 'partial-prepare', maybe: ['p1'], must: [], outcome: 'abort'},
  {point: 'after-votes', maybe: [], must: ['p1', 'p2', 'p3'], outcome: 'abort'},
  {point: 'after-decision', maybe: [], must: ['p1', 'p2', 'p3'], outcome: 'commit'},
  // COMMIT went to p1 only: it may have committed before the kill; p2, p3 wait.
  {point: 'partial-decision', maybe: ['p1'], must: ['p2', 'p3'], outcome: 'commit'},
];

describe('coordinator crashes over real databases', {skip}, () => {
  let pg: LocalServer;
  let my: LocalServer;
  let n = 0;
  before(async () => {
    [pg, my] = await startPgAndMaria();
  });
  after(() => stopServers(pg, my));

  async function fresh(t: Parameters<typeof tempHome>[0]) {
    const home = tempHome(t);
    const id = ++n;
    const db = ['a', 'b', 'c'].map((x) => `crash_${id}_${x}`);
    const p = ['--participant', pg.url(db[0]), '--participant', pg.url(db[1]), '--participant', my.url(db[2])];
    const r = await runDial(['txn', 'setup', ...p], {home});
    assert.equal(r.code, 0, r.stderr);
    const inDoubt = (txn: string) => [...pgPrepared(pg, db[0]), ...pgPrepared(pg, db[1]), ...xaRecover(my)].filter((g) => g.includes(txn)).map((g) => g.split(':')[3]).sort();
    const balances = () => [balance(pg, db[0], 'a'), balance(pg, db[1], 'b'), balance(my, db[2], 'c')];
    return {home, p, db, inDoubt, balances};
  }

  for (const c of POINTS) {
    test(`SIGKILL at coordinator:${c.point}: branches in doubt by SQL, status shows them, recover resolves them to ${c.outcome}`, async (t) => {
      const f = await fresh(t);
      // a->b:30 and c->a:10 touch every database.
      const r = await runDial(['txn', 'run', ...f.p, '--transfer', 'a->b:30,c->a:10', '--crash', `coordinator:${c.point}`, '--json'], {home: f.home});
      assert.equal(r.code, 0, r.stderr);
      const j = r.json<RunJson>();
      assert.equal(j.crashed, c.point);
      const held = f.inDoubt(j.txn);
      for (const p of c.must) assert.ok(held.includes(p), `${p} in doubt after ${c.point}: ${held}`);
      for (const p of held) assert.ok(c.must.includes(p) || c.maybe.includes(p), `${p} unexpectedly in doubt after ${c.point}`);
      assert.deepEqual(j.branches.filter((b) => b.inDoubt).map((b) => b.proc).sort(), held, 'the run reports what SQL sees');
      if (held.length) assert.equal(j.outcome, 'in doubt');

      // Status reads the remembered databases (passwords from the environment).
      const s = await runDial(['txn', 'status', '--db', '--lock-wait', '300ms', '--json'], {home: f.home, env: ENV});
      assert.equal(s.code, 0, s.stderr);
      const st = s.json<StatusJson>();
      const listed = st.databases.flatMap((d) => d.inDoubt).filter((x) => x.gid.includes(j.txn));
      assert.deepEqual([...new Set(listed.map((x) => x.gid.split(':')[3]))].sort(), held);
      for (const x of listed) {
        assert.equal(x.owned, 'ours');
        assert.equal(x.logged, c.outcome === 'commit' ? 'commit' : 'abort');
        assert.equal(Boolean(x.presumed), c.outcome === 'abort');
        assert.ok(x.ageMs !== undefined && x.ageMs >= 0 && x.ageMs < 120_000, `age ${x.ageMs}`);
      }
      if (held.includes('p2')) {
        const locks = st.databases.find((d) => d.url.endsWith(f.db[1]))!.locked;
        assert.equal(locks.length, 1);
        assert.equal(locks[0].key, 'b');
        assert.match(locks[0].gid ?? '', new RegExp(`${j.txn}:p2$`));
        assert.match(locks[0].probe!.message, /lock timeout/);
        assert.ok(locks[0].probe!.waitedMs >= 250 && locks[0].probe!.waitedMs < 5000, `${locks[0].probe!.waitedMs}`);
        // The same by plain SQL: an UPDATE of the row waits for the in-doubt branch.
        assert.throws(() => pg.admin("SET lock_timeout = '200ms'; UPDATE dial_accounts SET balance = balance WHERE name = 'b'", f.db[1]), /lock timeout/);
      }
      if (held.includes('p3')) {
        const locks = st.databases.find((d) => d.url.endsWith(f.db[2]))!.locked;
        assert.deepEqual(locks.map((l) => l.key), ['c']);
        assert.match(locks[0].probe!.message, /Lock wait timeout/);
        const text = await runDial(['txn', 'status', '--db', '--lock-wait', '1s'], {home: f.home, env: {...ENV, COLUMNS: '250'}});
        assert.match(text.stdout, /IN-DOUBT BRANCH/);
        assert.match(text.stdout, /waited 1\.\ds: Lock wait timeout exceeded/);
        assert.match(text.stdout, new RegExp(`${j.txn}:p3 .* ours: ${c.outcome === 'commit' ? 'COMMIT logged' : 'no decision \\(presumed abort\\)'}`));
      }

      const rec = await runDial(['txn', 'recover', '--db', '--json'], {home: f.home, env: ENV});
      assert.equal(rec.code, 0, rec.stderr);
      const rj = rec.json<RecoverJson>();
      const mine = rj.actions.filter((a) => a.gid.includes(j.txn));
      assert.deepEqual(mine.map((a) => a.gid.split(':')[3]).sort(), held);
      for (const a of mine) {
        assert.equal(a.action, c.outcome === 'commit' ? 'committed' : 'rolled back');
        assert.match(a.why, c.outcome === 'commit' ? /logged COMMIT/ : /presumed abort/);
      }
      assert.deepEqual(f.inDoubt(j.txn), [], 'nothing left in doubt');
      assert.deepEqual(f.balances(), c.outcome === 'commit' ? [80, 130, 90] : [100, 100, 100]);
      assert.equal(rj.total, 300);
      const b = await runDial(['txn', 'balances', '--db', '--json'], {home: f.home, env: ENV});
      assert.equal(b.code, 0, b.stderr);
      const bj = b.json<{total: number; conserved: boolean; inDoubt: number}>();
      assert.deepEqual([bj.total, bj.conserved, bj.inDoubt], [300, true, 0]);
      // A second recovery finds nothing of ours to do.
      const again = await runDial(['txn', 'recover', '--db', '--json'], {home: f.home, env: ENV});
      assert.deepEqual(again.json<RecoverJson>().actions.filter((a) => a.gid.includes(j.txn)), []);
    });
  }

  test('a foreign prepared transaction is reported, never resolved, unless --force-abort GID', async (t) => {
    const f = await fresh(t);
    pg.admin("BEGIN; UPDATE dial_accounts SET balance = balance - 1 WHERE name = 'a'; PREPARE TRANSACTION 'billing-42'", f.db[0]);
    my.admin("XA START 'erp-7'; UPDATE dial_accounts SET balance = balance + 1 WHERE name = 'c'; XA END 'erp-7'; XA PREPARE 'erp-7'", f.db[2]);
    t.after(() => {
      for (const [s, sql, db] of [[pg, "ROLLBACK PREPARED 'billing-42'", f.db[0]], [my, "XA ROLLBACK 'erp-7'", f.db[2]]] as const) {
        try {
          s.admin(sql, db);
        } catch {
          // resolved by the test
        }
      }
    });
    // A dial crash leaves its own branches in doubt beside them.
    const r = await runDial(['txn', 'run', ...f.p, '--crash', 'coordinator:after-votes', '--json'], {home: f.home});
    const txn = r.json<RunJson>().txn;

    const s = await runDial(['txn', 'status', '--participant', pg.url(f.db[0]), '--participant', my.url(f.db[2]), '--lock-wait', '0', '--json'], {home: f.home, env: ENV});
    assert.equal(s.code, 0, s.stderr);
    const all = s.json<StatusJson>().databases.flatMap((d) => d.inDoubt);
    assert.equal(all.find((x) => x.gid === 'billing-42')?.owned, 'foreign');
    assert.equal(all.find((x) => x.gid === 'erp-7')?.owned, 'foreign');

    const rec = await runDial(['txn', 'recover', '--db', '--json'], {home: f.home, env: ENV});
    assert.equal(rec.code, 0, rec.stderr);
    const rj = rec.json<RecoverJson>();
    for (const g of ['billing-42', 'erp-7']) {
      const a = rj.actions.find((x) => x.gid === g);
      assert.equal(a?.action, 'left alone', g);
      assert.match(a!.why, new RegExp(`not a dial transaction.*--force-abort ${g}`));
      assert.ok(rj.leftInDoubt.includes(g));
    }
    assert.ok(rj.actions.filter((a) => a.gid.includes(txn)).every((a) => a.action === 'rolled back'));
    assert.deepEqual(pgPrepared(pg, f.db[0]), ['billing-42']);
    assert.ok(xaRecover(my).includes('erp-7'));

    const text = await runDial(['txn', 'recover', '--db'], {home: f.home, env: {...ENV, COLUMNS: '250'}});
    assert.match(text.stdout, /billing-42 .* left alone/);
    assert.match(text.stdout, /still in doubt: .*billing-42/);

    const force = await runDial(['txn', 'recover', '--db', '--force-abort', 'billing-42', '--force-abort', 'erp-7', '--json'], {home: f.home, env: ENV});
    assert.equal(force.code, 0, force.stderr);
    const fj = force.json<RecoverJson>();
    assert.deepEqual(fj.actions.filter((a) => a.why === '--force-abort').map((a) => [a.gid, a.action]).sort(), [['billing-42', 'rolled back'], ['erp-7', 'rolled back']]);
    assert.deepEqual(pgPrepared(pg, f.db[0]), []);
    assert.ok(!xaRecover(my).includes('erp-7'));
    assert.deepEqual(f.balances(), [100, 100, 100]);

    const bad = await runDial(['txn', 'recover', '--db', '--force-abort', "x'; DROP TABLE dial_accounts; --"], {home: f.home, env: ENV});
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--force-abort/);
  });
});
