import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {ErrorCode, GroupProtocol} from '../../src/broker/kafka/index.js';

const req = (memberId = '', protocols = ['range']) => ({
  groupId: 'g', memberId, clientId: 'c', clientHost: '/127.0.0.1', sessionTimeoutMs: 1000, rebalanceTimeoutMs: 1500, protocolType: 'consumer',
  protocols: protocols.map((name) => ({name, metadata: Buffer.from(name)})),
});

describe('Kafka group protocol (coordinator side)', () => {
  it('two members: one rebalance, the leader assigns, stale generations and unknown members are refused, a session timeout rebalances', async () => {
    const g = new GroupProtocol({initialDelayMs: 50});
    try {
      const [a, b] = await Promise.all([g.join(req('', ['roundrobin', 'range'])), g.join(req('', ['range']))]);
      assert.equal(a.error, 0);
      assert.equal(a.generation, b.generation);
      assert.equal(a.protocol, 'range', 'the protocol every member supports');
      const leader = a.leader === a.memberId ? a : b;
      const follower = leader === a ? b : a;
      assert.equal(leader.members.length, 2);
      assert.equal(follower.members.length, 0, 'only the leader sees the members');
      const followerSync = g.sync('g', follower.generation, follower.memberId, []);
      const leaderSync = await g.sync('g', leader.generation, leader.memberId, [{memberId: follower.memberId, assignment: Buffer.from('F')}, {memberId: leader.memberId, assignment: Buffer.from('L')}]);
      assert.equal(leaderSync.assignment.toString(), 'L');
      assert.equal((await followerSync).assignment.toString(), 'F');
      assert.equal(g.heartbeat('g', leader.generation, leader.memberId), ErrorCode.NONE);
      assert.equal(g.heartbeat('g', leader.generation - 1, leader.memberId), ErrorCode.ILLEGAL_GENERATION);
      assert.equal(g.heartbeat('g', leader.generation, 'nobody'), ErrorCode.UNKNOWN_MEMBER_ID);
      assert.equal(g.canCommit('g', leader.generation, leader.memberId), ErrorCode.NONE);
      assert.equal(g.canCommit('g', -1, ''), ErrorCode.UNKNOWN_MEMBER_ID, 'a standalone commit into a live group');
      assert.equal(g.describe('g')?.state, 'Stable');
      // The follower stops heartbeating; the leader keeps going and learns of the rebalance.
      let code: number = ErrorCode.NONE;
      const deadline = Date.now() + 5000;
      while (code === ErrorCode.NONE && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        code = g.heartbeat('g', leader.generation, leader.memberId);
      }
      assert.equal(code, ErrorCode.REBALANCE_IN_PROGRESS);
      const again = await g.join(req(leader.memberId));
      assert.equal(again.generation, leader.generation + 1);
      assert.equal(again.members.length, 1, 'the silent member was removed');
      assert.equal(g.leave('g', [leader.memberId])[0], ErrorCode.NONE);
      assert.equal(g.describe('g')?.state, 'Empty');
      assert.equal(g.canCommit('g', -1, ''), ErrorCode.NONE);
    } finally {
      g.stop();
    }
  });

  it('refuses a bad session timeout and a protocol no member shares', async () => {
    const g = new GroupProtocol({initialDelayMs: 10});
    try {
      assert.equal((await g.join({...req(), sessionTimeoutMs: 10})).error, ErrorCode.INVALID_SESSION_TIMEOUT);
      const first = g.join(req('', ['range']));
      assert.equal((await g.join(req('', ['sticky']))).error, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
      assert.equal((await first).error, ErrorCode.NONE);
      assert.equal((await g.join(req('unknown-member'))).error, ErrorCode.UNKNOWN_MEMBER_ID);
    } finally {
      g.stop();
    }
  });
});
