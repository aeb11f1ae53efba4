/**
 * Randomized 2PC over two PostgreSQL databases and one MariaDB: 200
 * transactions with random transfers (some overdraw, so a branch fails to
 * prepare), random coordinator crashes, lost messages (a lost connection to
 * the database), random loss and delays, each followed by recovery
 * (`recover --db`). After each: atomicity (the transfer is applied in every
 * database or in none), conservation (total 300), nothing of ours in doubt.
 *
 * Choice: the 200 run in this process through the library (runDbTransaction
 * and recoverDatabases: the same code `dial txn run --participant` runs in its
 * child), since 200 spawned coordinators plus 200 spawned recoveries take
 * far over 3 minutes on a loaded 2-core machine. An in-process crash stops
 * the coordinator's host for good and nothing it had in flight is delivered
 * (like the SIGKILL); the first 12 transactions of every seed are real: spawned
 * bin/run.js with a SIGKILLed coordinator, and recovery by the CLI.
 * A failure names the seed: DIAL_TEST_SEED=N replays it.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {runDial, tempHome} from '../helpers/cli.js';
import {balance, databasesMissing, LOCAL_PASSWORD, type LocalServer, pgPrepared, startPgAndMaria, stopServers, xaRecover} from '../helpers/databases.js';
import {runDbTransaction} from '../../src/txn/db/run.js';
import {recoverDatabases} from '../../src/txn/db/recover.js';
import {buildRunRequest} from '../../src/txn/run-request.js';
import {streamRandom} from '../../src/txn/rng.js';

const skip = databasesMissing();
const SEED = Number(process.env.DIAL_TEST_SEED ?? 20261207);
const TXNS = 200;
const REAL = 12;
const POINTS = ['before-prepare', 'partial-prepare', 'after-votes', 'after-decision', 'partial-decision'];
const TYPES = ['PREPARE', 'VOTE', 'COMMIT', 'ABORT', 'ACK'];
const ACCOUNTS = ['a', 'b', 'c'];

describe('randomized 2PC over PostgreSQL x2 and MariaDB, with crashes, losses, delays and recovery', {skip}, () => {
  let pg: LocalServer;
  let my: LocalServer;
  before(async () => {
    [pg, my] = await startPgAndMaria();
  });
  after(() => stopServers(pg, my));

  test(`${TXNS} transactions, seed ${SEED}`, {timeout: Number(process.env.DIAL_TEST_TIMEOUT ?? 240_000)}, async (t) => {
    const home = tempHome(t);
    const urls = [pg.url('rnd_a'), pg.url('rnd_b'), my.url('rnd_c')];
    const p = urls.flatMap((u) => ['--participant', u]);
    assert.equal((await runDial(['txn', 'setup', ...p], {home})).code, 0);
    const rnd = streamRandom(SEED, 1);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const read = () => [balance(pg, 'rnd_a', 'a'), balance(pg, 'rnd_b', 'b'), balance(my, 'rnd_c', 'c')];
    const started = Date.now();
    let prev = read();
    const tally = {commit: 0, abort: 0, crash: 0, realCrash: 0, recovered: 0};
    for (let i = 0; i < TXNS; i++) {
      const where = `seed ${SEED}, transaction ${i} (DIAL_TEST_SEED=${SEED} replays it)`;
      assert.ok(Date.now() - started < 200_000, `out of time at ${where}`);
      const from = pick(ACCOUNTS);
      const to = pick(ACCOUNTS.filter((x) => x !== from));
      const amount = 1 + Math.floor(rnd() * 70);
      const transfer = `${from}->${to}:${amount}`;
      const f = {crash: [] as string[], drop: [] as string[], delay: [] as string[], loss: undefined as number | undefined};
      const kind = rnd();
      if (kind < 0.3) f.crash.push(`coordinator:${pick(POINTS)}`);
      else if (kind < 0.5) f.drop.push(`${pick(TYPES)}#${1 + Math.floor(rnd() * 2)}`);
      else if (kind < 0.6) f.loss = 0.2;
      if (rnd() < 0.3) f.delay.push(`${pick(TYPES)}:${Math.floor(rnd() * 40)}`);
      const label = `${where}: ${transfer} ${JSON.stringify(f)}`;
      if (process.env.DIAL_TEST_TRACE) process.stderr.write(label + '\n');
      if (i < REAL) {
        // Real: the coordinator is a child process, SIGKILLed at its crash point.
        if (!f.crash.length) f.crash.push(`coordinator:${POINTS[i % POINTS.length]}`);
        const args = ['txn', 'run', ...p, '--transfer', transfer, '--timeout', '150ms', '--max-time', '2s', '--seed', String(SEED + i), ...f.crash.flatMap((c) => ['--crash', c]), ...f.drop.flatMap((d) => ['--drop', d]), ...f.delay.flatMap((d) => ['--delay', d]), '--json'];
        const r = await runDial(args, {home});
        assert.equal(r.code, 0, `${label}\n${r.stdout}\n${r.stderr}`);
        assert.equal(r.json<{crashed?: string}>().crashed, f.crash[0].split(':')[1], label);
        tally.realCrash++;
        const rec = await runDial(['txn', 'recover', '--db', '--json'], {home, env: {PGPASSWORD: LOCAL_PASSWORD, MYSQL_PWD: LOCAL_PASSWORD}});
        assert.equal(rec.code, 0, `${label}\n${rec.stderr}`);
        tally.recovered += rec.json<{actions: unknown[]}>().actions.length;
      } else {
        const req = buildRunRequest({protocol: '2pc', participants: 3, transfer, crash: f.crash, drop: f.drop, delay: f.delay, loss: f.loss, seed: SEED + i, timeoutMs: 150, maxTimeMs: 1500});
        const r = await runDbTransaction(home, {participants: urls, transfer, faults: req.faults, timeoutMs: req.timeoutMs, maxTimeMs: req.maxTimeMs, seed: req.seed}, {crash: () => undefined});
        assert.notEqual(r.outcome, 'split', label);
        assert.deepEqual(r.violations, [], label);
        if (r.crashed) tally.crash++;
        const rec = await recoverDatabases(home, urls);
        tally.recovered += rec.actions.length;
        assert.ok(rec.actions.every((a) => a.action !== 'left alone'), `${label}: ${JSON.stringify(rec.actions)}`);
      }
      // After recovery nothing is in doubt, and the transfer is applied everywhere or nowhere.
      assert.deepEqual([...pgPrepared(pg, 'rnd_a'), ...pgPrepared(pg, 'rnd_b'), ...xaRecover(my)], [], label);
      const now = read();
      const delta = now.map((x, k) => x - prev[k]);
      const want = ACCOUNTS.map((a) => (a === from ? -amount : a === to ? amount : 0));
      const applied = delta.every((d, k) => d === want[k]);
      assert.ok(applied || delta.every((d) => d === 0), `${label}: half applied, balances ${prev} -> ${now}`);
      if (applied) tally.commit++;
      else tally.abort++;
      assert.equal(now.reduce((s, x) => s + x, 0), 300, `${label}: total not conserved: ${now}`);
      assert.ok(now.every((x) => x >= 0), label);
      prev = now;
    }
    const b = await runDial(['txn', 'balances', '--db', '--json'], {home, env: {PGPASSWORD: LOCAL_PASSWORD, MYSQL_PWD: LOCAL_PASSWORD}});
    assert.deepEqual([b.code, b.json<{total: number}>().total], [0, 300]);
    t.diagnostic(`seed ${SEED}: ${JSON.stringify(tally)} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    // The run must exercise both outcomes and recovery, or it proves nothing.
    assert.ok(tally.commit > 20 && tally.abort > 20 && tally.recovered > 20, JSON.stringify(tally));
  });
});
