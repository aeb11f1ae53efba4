import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {clusterSuite, runDial, startCluster, tempHome} from '../helpers/cli.js';
import type {BalancesView, RunResult, StatusView} from '../../src/txn/real/wire.js';

describe('dial txn without a cluster', () => {
  it('scenarios lists the five scenarios', async (t) => {
    const r = await runDial(['txn', 'scenarios', '--json'], {home: tempHome(t)});
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json<{name: string}[]>().map((s) => s.name), ['happy-path', 'vote-no', '2pc-blocking', '3pc-nonblocking', '3pc-partition']);
  });

  it('run --in-process replays a randomized trial by seed and checks the invariants', async (t) => {
    const r = await runDial(['txn', 'run', '--in-process', '--random-faults', '--seed', '5', '--json'], {home: tempHome(t)});
    assert.equal(r.code, 0, r.stderr);
    const out = r.json<RunResult & {violations: string[]; seed: number}>();
    assert.equal(out.seed, 5);
    assert.deepEqual(out.violations, []);
    assert.ok(out.events.length > 10);
  });

  it('run --in-process draws the timeline: lanes, arrows, forces, the crash', async (t) => {
    const r = await runDial(['txn', 'run', '--in-process', '--crash', 'coordinator:after-decision'], {home: tempHome(t)});
    assert.equal(r.code, 0, r.stderr);
    for (const s of ['c coordinator', 'p1 a', '─PREPARE─', '▶', '◀─VOTE yes', '▣ force PREPARED', '✖ CRASH at after-decision', '↻ recovers', 'every invariant held']) {
      assert.ok(r.stdout.includes(s), `timeline shows '${s}':\n${r.stdout}`);
    }
  });

  it('bad flags are usage errors (exit 2) that say what to write', async (t) => {
    const home = tempHome(t);
    const bad = await runDial(['txn', 'run', '--in-process', '--crash', 'coordinator:nope'], {home});
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a coordinator crash point.*\n.*after-votes/);
    const acc = await runDial(['txn', 'run', '--in-process', '--transfer', 'a->z:5'], {home});
    assert.equal(acc.code, 2);
    assert.match(acc.stderr, /no account 'z'/);
    const pre = await runDial(['txn', 'run', '--in-process', '--crash', 'coordinator:partial-precommit'], {home});
    assert.equal(pre.code, 2);
    assert.match(pre.stderr, /only in 3PC/);
    const sc = await runDial(['txn', 'scenario', '2pc-blocked'], {home});
    assert.equal(sc.code, 2);
    assert.match(sc.stderr, /did you mean '2pc-blocking'/);
    for (const args of [['txn', 'run', '--timeout', '0'], ['txn', 'run', '--in-process', '--max-time', '0s'], ['txn', 'bench', '--transactions', '0']]) {
      const r = await runDial(args, {home});
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /--(timeout|max-time|transactions)/);
    }
  });

  it('status without a cluster exits 3 and says how to start one', async (t) => {
    const r = await runDial(['txn', 'status'], {home: tempHome(t)});
    assert.equal(r.code, 3);
    assert.match(r.stderr, /dial cluster up/);
  });
});

describe('dial txn on a cluster: run, block, status, recover, balances', () => {
  const {home} = clusterSuite(after);
  before(async () => {
    await startCluster(home, ['--instances', '1']);
  });

  it('a scenario runs on real processes and explains itself', {timeout: 30_000}, async () => {
    const r = await runDial(['txn', 'scenario', 'happy-path'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /T1 COMMITTED at every participant \(p1, p2, p3\)\./);
    assert.match(r.stdout, /What happened/);
    const b = await runDial(['txn', 'balances', '--json'], {home});
    assert.deepEqual(b.json<BalancesView>().accounts.map((a) => a.balance), [70, 130, 100]);
  });

  it('2PC blocks after a coordinator crash until txn recover', {timeout: 40_000}, async () => {
    const run = await runDial(['txn', 'run', '--crash', 'coordinator:after-decision', '--max-time', '1500ms', '--json'], {home});
    assert.equal(run.code, 0, run.stderr);
    const result = run.json<RunResult>();
    assert.equal(result.outcome, 'in doubt');
    assert.ok(result.events.some((e) => e.kind === 'crash' && e.proc === 'c'));
    const st = await runDial(['txn', 'status', '--json'], {home});
    const s = st.json<StatusView>();
    assert.equal(s.processes.find((p) => p.proc === 'c')!.up, false);
    assert.deepEqual(s.processes.filter((p) => p.role === 'participant').map((p) => p.lockedBy), [result.txn, result.txn, result.txn]);
    const again = await runDial(['txn', 'run'], {home});
    assert.equal(again.code, 1);
    assert.match(again.stderr, /c is down.*dial txn recover/);
    const blocked = await runDial(['txn', 'balances'], {home});
    assert.match(blocked.stdout, /locked by T2/);
    const rec = await runDial(['txn', 'recover', '--json'], {home});
    assert.equal(rec.code, 0, rec.stderr);
    assert.equal(rec.json<RunResult>().outcome, 'commit');
    const b = (await runDial(['txn', 'balances', '--json'], {home})).json<BalancesView>();
    assert.equal(b.conserved, true);
    assert.deepEqual(b.accounts.map((a) => a.balance), [40, 160, 100]);
  });

  it('every outcome is on the cluster event bus (dial events --type txn)', {timeout: 30_000}, async () => {
    const ev = await runDial(['events', '--type', 'txn', '--from-beginning', '--no-follow', '--json'], {home});
    assert.equal(ev.code, 0, ev.stderr);
    const events = ev.stdout.trim().split('\n').map((l) => JSON.parse(l) as {type: string; kind: string; outcome: string; txn?: string});
    assert.deepEqual(events.map((e) => [e.type, e.kind, e.outcome]), [['txn', 'run', 'commit'], ['txn', 'run', 'in doubt'], ['txn', 'recover', 'commit']]);
    const text = await runDial(['events', '--type', 'txn', '--from-beginning', '--no-follow'], {home});
    const lines = text.stdout.trim().split('\n');
    assert.equal(lines.length, 3, text.stdout);
    assert.match(lines[0], /^\S+\s+txn\s+T\d+ committed \(2PC, [^)]+\) in \d+ ms$/);
    assert.match(lines[1], /txn\s+T\d+ is in doubt/);
    assert.match(lines[2], /txn\s+recovery \S+: T\d+ committed/);
    assert.doesNotMatch(text.stdout, /\{"/, 'sentences, not JSON');
  });

  // After the event-bus test: these runs add events it does not expect.
  it('the verdict names who reached the outcome and who is down; a recovered coordinator stops asking', {timeout: 60_000}, async () => {
    const r = await runDial(['txn', 'run', '--protocol', '3pc', '--crash', 'coordinator:after-decision', '--crash', 'p1:after-precommit'], {home});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /T\d+ COMMITTED at p2, p3; c down \(its log says COMMIT\); p1 down \(its log: PRECOMMIT: in doubt, it asks when it recovers\)\./);
    assert.doesNotMatch(r.stdout, /everywhere|every participant/);
    assert.equal((await runDial(['txn', 'recover'], {home})).code, 0);
    const pre = await runDial(['txn', 'run', '--protocol', '3pc', '--crash', 'coordinator:partial-precommit', '--json'], {home});
    assert.equal(pre.code, 0, pre.stderr);
    const rec = await runDial(['txn', 'recover', '--json'], {home});
    assert.equal(rec.code, 0, rec.stderr);
    const st = (await runDial(['txn', 'status', '--json'], {home})).json<StatusView>();
    const c = st.processes.find((p) => p.proc === 'c')!;
    assert.equal(c.up, true);
    const last = c.recent.find((x) => x.txn === pre.json<RunResult>().txn);
    assert.ok(last, JSON.stringify(c.recent));
    assert.doesNotMatch(last.state, /asking/, 'the recovered coordinator learned the outcome');
  });
});

