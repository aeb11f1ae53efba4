import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {describeEvent} from '../../src/broker/cluster-events.js';

describe('dial events: one sentence per event', () => {
  it('txn outcomes read as sentences, not JSON', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const base = {type: 'txn', at, id: 'R2', kind: 'run', txn: 'T2', protocol: '2pc', transfer: 'p1->p2:50', participants: ['p1', 'p2', 'p3'], durationMs: 84, endedBy: 'settled', atomic: true};
    assert.equal(describeEvent({...base, outcome: 'commit'}), 'T2 committed (2PC, p1->p2:50) in 84 ms');
    assert.equal(describeEvent({...base, outcome: 'abort'}), 'T2 aborted (2PC, p1->p2:50) in 84 ms');
    assert.match(describeEvent({...base, outcome: 'in doubt', endedBy: 'max-time'}), /^T2 is in doubt \(participants still wait for the decision\)/);
    assert.match(describeEvent({...base, outcome: 'split', atomic: false}), /^T2 SPLIT: .*atomicity violated/);
    assert.equal(describeEvent({type: 'txn', at, id: 'R3', kind: 'recover', txn: 'T2', outcome: 'commit', durationMs: 40, endedBy: 'settled'}), 'recovery R3: T2 committed in 40 ms');
    assert.equal(describeEvent({type: 'txn', at, id: 'R4', kind: 'recover', outcome: 'none', durationMs: 3, endedBy: 'settled'}), 'recovery R4: no transaction to finish in 3 ms');
    for (const e of [{...base, outcome: 'commit'}]) assert.doesNotMatch(describeEvent(e), /[{}"]/);
  });
});
