import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {coordinatorStep, recoverCoordinator} from '../../src/txn/coordinator.js';
import type {LogRecord} from '../../src/txn/types.js';

describe('txn coordinator', () => {
  it('a 3PC coordinator recovered at PRECOMMIT asks, and stops asking once it learns the outcome', () => {
    const records = [
      {type: 'BEGIN', txn: 'T1', protocol: '3pc', participants: ['p1', 'p2'], deltas: {p1: -10, p2: 10}},
      {type: 'PRECOMMIT', txn: 'T1', term: 0, participants: ['p1', 'p2']},
    ] as LogRecord[];
    const cfg = {timeoutMs: 100};
    const rec = recoverCoordinator('c', records, cfg);
    assert.equal(rec.node.txns.T1.passive, true);
    const after = coordinatorStep(rec.node, {kind: 'recv', from: 'p1', msg: {type: 'COMMIT', txn: 'T1', term: 5}}, cfg);
    const t = after.node.txns.T1;
    assert.deepEqual([t.state, t.outcome, Boolean(t.passive)], ['END', 'commit', false], "'txn status' must not show 'END (asking)'");
  });
});
