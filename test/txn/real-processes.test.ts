import assert from 'node:assert/strict';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {uniformInt} from 'pure-rand/distribution/uniformInt';
import {xoroshiro128plus} from 'pure-rand/generator/xoroshiro128plus';
import {clusterSuite, startCluster} from '../helpers/cli.js';
import {COORDINATOR, participantIds} from '../../src/txn/bank.js';
import {CRASH_POINTS} from '../../src/txn/crash-points.js';
import {checkDecided, checkSafety, type RunView} from '../../src/txn/invariants.js';
import {readLogFile} from '../../src/txn/real/file-log.js';
import {TxnClient} from '../../src/txn/real/client.js';
import {buildRunRequest} from '../../src/txn/run-request.js';
import type {LogRecord, PartState, Pid} from '../../src/txn/types.js';

interface Case {
  protocol: '2pc' | '3pc';
  crash: string[];
  voteNo?: string[];
}

// Hand-picked crash points (every one that blocks or terminates), then a few drawn from a seed.
const CASES: Case[] = [
  {protocol: '2pc', crash: ['coordinator:after-decision']},
  {protocol: '2pc', crash: ['coordinator:after-votes']},
  {protocol: '2pc', crash: ['p2:after-vote', 'coordinator:partial-decision']},
  {protocol: '3pc', crash: ['coordinator:after-decision']},
  {protocol: '3pc', crash: ['coordinator:partial-precommit']},
  {protocol: '3pc', crash: ['p1:after-precommit', 'coordinator:after-votes']},
];
const rng = xoroshiro128plus(Number(process.env.TXN_REAL_SEED ?? 8));
for (let i = 0; i < 2; i++) {
  const protocol = uniformInt(rng, 0, 1) ? '3pc' : '2pc';
  const procs = ['coordinator', 'p1', 'p2', 'p3'];
  const who = procs[uniformInt(rng, 0, 3)];
  const points = CRASH_POINTS.filter((c) => c.protocols.includes(protocol) && c.role === (who === 'coordinator' ? 'coordinator' : 'participant'));
  CASES.push({protocol, crash: [`${who}:${points[uniformInt(rng, 0, points.length - 1)].name}`]});
}

describe('txn: real processes, real SIGKILLs, recovery from fsynced logs', () => {
  const {home} = clusterSuite(after);
  let client: TxnClient;
  before(async () => {
    await startCluster(home, ['--instances', '1']);
    client = TxnClient.open(home);
    await client.reset();
  });
  after(async () => client?.close());

  for (const c of CASES) {
    it(`${c.protocol} --crash ${c.crash.join(' --crash ')}: atomic, durable, write-ahead, decided after recovery, total conserved`, {timeout: 30_000}, async () => {
      const ps = participantIds(3);
      const req = buildRunRequest({protocol: c.protocol, participants: 3, transfer: 'a->b:10', crash: c.crash, voteNo: c.voteNo, timeoutMs: 1000, maxTimeMs: c.protocol === '3pc' ? 5000 : 3000, seed: 1});
      const run = await client.run(req, () => undefined);
      const crashed = run.events.filter((e) => e.kind === 'crash').map((e) => e.proc);
      assert.ok(crashed.length > 0, `a crash point fired: ${c.crash.join(', ')}; the run was: ${run.events.map((e) => `${e.proc} ${e.kind}${e.kind === 'recv' ? ` ${e.msg.type}` : ''}`).join(', ')}`);
      const status = await client.status();
      for (const p of crashed) {
        const v = status.processes.find((x) => x.proc === p)!;
        assert.equal(v.up, false, `${p} is down`);
        assert.equal(v.exit, 'SIGKILL', `${p} died of a real SIGKILL`);
      }
      if (c.protocol === '3pc') {
        // 3PC: the participants that stayed up decided without the coordinator.
        const upStates = Object.fromEntries(run.processes.filter((p) => p.proc !== COORDINATOR).map((p) => [p.proc, p.state as PartState | undefined]));
        const operational = ps.filter((p) => !crashed.includes(p));
        assert.deepEqual(checkDecided({events: run.events, txn: run.txn!, states: upStates}, operational, 'before recovery (3PC)'), []);
      }
      const rec = await client.recover(8000, () => undefined);
      assert.equal(rec.endedBy, 'settled', 'recovery settles');
      const after = await client.status();
      assert.ok(after.processes.every((p) => p.up), 'every process runs again');
      const states: Record<Pid, PartState | undefined> = {};
      const balances: Record<Pid, number> = {};
      for (const p of after.processes.filter((x) => x.role === 'participant')) {
        const st = await statusOf(client, p.proc, run.txn!);
        states[p.proc] = st;
        balances[p.proc] = p.balance!;
      }
      const logs: Record<Pid, LogRecord[]> = Object.fromEntries(['c', ...ps].map((p) => [p, readLogFile(join(home, 'txn', `${p}.log`)).records]));
      const view: RunView = {
        txn: run.txn!, participants: ps, deltas: req.deltas, events: [...run.events, ...rec.events], logs, states, balances,
        initialBalances: Object.fromEntries(run.processes.filter((p) => p.proc !== COORDINATOR).map((p) => [p.proc, p.balanceBefore!])),
      };
      assert.deepEqual([...checkSafety(view), ...checkDecided(view, ps, 'after recovery')], []);
    });
  }

  it('a participant votes no: everyone aborts, nothing moves', {timeout: 20_000}, async () => {
    const before = (await client.balances()).accounts.map((a) => a.balance);
    const req = buildRunRequest({protocol: '2pc', participants: 3, transfer: 'a->b:40', voteNo: ['p3'], timeoutMs: 1000, maxTimeMs: 2500});
    const run = await client.run(req, () => undefined);
    assert.equal(run.outcome, 'abort');
    const b = await client.balances();
    assert.deepEqual(b.accounts.map((a) => a.balance), before);
    assert.equal(b.conserved, true);
  });

  it('3PC under a partition really splits, and balances says the total is broken', {timeout: 20_000}, async () => {
    await client.reset();
    const req = buildRunRequest({protocol: '3pc', participants: 3, transfer: 'a->b:40', partition: 'c,p1|p2,p3@c:partial-precommit', timeoutMs: 1000, maxTimeMs: 5000});
    const run = await client.run(req, () => undefined);
    assert.equal(run.outcome, 'split');
    assert.equal(run.atomic, false);
    const b = await client.balances();
    assert.equal(b.conserved, false);
    assert.equal(b.total, 260);
  });
});

async function statusOf(client: TxnClient, proc: Pid, txn: string): Promise<PartState | undefined> {
  const s = await client.status();
  return s.processes.find((x) => x.proc === proc)?.recent.find((x) => x.txn === txn)?.state as PartState | undefined;
}
