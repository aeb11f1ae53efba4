import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {verdict} from '../../../src/cli/render/txn.js';
import type {ProcOutcome, RunResult} from '../../../src/txn/real/wire.js';

const run = (outcome: RunResult['outcome'], processes: ProcOutcome[]): RunResult => ({
  id: 'R1', kind: 'run', txn: 'T1', protocol: '3pc', participants: ['p1', 'p2', 'p3'], durationMs: 1, endedBy: 'settled',
  processes, outcome, atomic: true, recovered: [], events: [],
});
const up = (proc: string, state?: string): ProcOutcome => ({proc, up: true, ...(state ? {state} : {})});
const down = (proc: string, logState?: string): ProcOutcome => ({proc, up: false, ...(logState ? {logState} : {})});

describe('txn verdict: who reached the outcome, who is down or never heard of it', () => {
  it('every participant: says so', () => {
    assert.equal(verdict(run('commit', [up('c', 'END'), up('p1', 'COMMIT'), up('p2', 'COMMIT'), up('p3', 'COMMIT')])), 'T1 COMMITTED at every participant (p1, p2, p3).');
  });
  it('coordinator and p1 down (3PC, crash after-decision and p1 after-precommit): not "everywhere"', () => {
    const v = verdict(run('commit', [down('c', 'COMMIT'), down('p1', 'PRECOMMIT'), up('p2', 'COMMIT'), up('p3', 'COMMIT')]));
    assert.equal(v, 'T1 COMMITTED at p2, p3; c down (its log says COMMIT); p1 down (its log: PRECOMMIT: in doubt, it asks when it recovers).');
    assert.doesNotMatch(v, /everywhere|every participant/);
  });
  it('a partition before PREPARE: the cut-off participants never heard of it', () => {
    const v = verdict(run('abort', [up('c', 'END'), up('p1', 'ABORT'), up('p2'), up('p3')]));
    assert.equal(v, 'T1 ABORTED at p1; p2, p3 never heard of T1 (nothing to undo).');
  });
  it('a participant down with nothing logged, or with its vote logged', () => {
    assert.equal(verdict(run('abort', [up('c', 'END'), down('p1'), up('p2', 'ABORT'), up('p3', 'ABORT')])), 'T1 ABORTED at p2, p3; p1 down (no record of T1: nothing to undo).');
    assert.match(verdict(run('abort', [up('c', 'END'), down('p1', 'READY'), up('p2', 'ABORT'), up('p3', 'ABORT')])), /p1 down \(its log: READY: in doubt, it asks when it recovers\)/);
    assert.equal(verdict(run('abort', [up('c', 'END'), up('p1'), up('p2'), up('p3')])), 'T1 ABORTED (presumed: no participant holds it); p1, p2, p3 never heard of T1 (nothing to undo).');
  });
});
