import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {
  DialError, ExitCode, errnoReason, findErrno, grpcStatusForHttpTransport, grpcStatusForRestStatus, grpcStatusName,
  isNetworkError, rpcExitCode, rpcStatusError, unreachableError, usageError,
} from '../../src/errors/index.js';

describe('DialError', () => {
  it('carries a stable code, a hint and an exit code, and serializes to the --json error shape', () => {
    const e = new DialError('NOT_FOUND', 'no such thing', {hint: 'try another', exitCode: 1, details: {x: 1}});
    assert.deepEqual(e.toJSON(), {error: {code: 'NOT_FOUND', message: 'no such thing', hint: 'try another', exitCode: 1, details: {x: 1}}});
    assert.equal(new DialError('X', 'm').exitCode, ExitCode.Failed);
    assert.equal(usageError('bad').exitCode, 2);
    assert.equal('hint' in new DialError('X', 'm').toJSON().error, false);
  });
});

describe('errno mapping', () => {
  it('finds errno codes through cause chains and AggregateErrors', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {code: 'ECONNREFUSED'});
    assert.equal(findErrno({cause: {cause: inner}}), 'ECONNREFUSED');
    assert.equal(findErrno(new AggregateError([new Error('x'), inner])), 'ECONNREFUSED');
    assert.equal(findErrno(new Error('plain')), undefined);
    assert.equal(isNetworkError({cause: inner}), true);
  });
  it('ECONNREFUSED becomes exit 3 with a message naming the peer and a hint', () => {
    const e = unreachableError('the cluster at 127.0.0.1:7500', {cause: {code: 'ECONNREFUSED'}}, "run 'dial cluster up'");
    assert.equal(e.exitCode, 3);
    assert.equal(e.code, 'UNREACHABLE');
    assert.equal(e.message, 'cannot reach the cluster at 127.0.0.1:7500 (connection refused)');
    assert.equal(e.hint, "run 'dial cluster up'");
    assert.equal(errnoReason('ETIMEDOUT'), 'timed out');
    assert.equal(errnoReason('EWHATEVER'), 'EWHATEVER');
  });
});

describe('gRPC status mapping', () => {
  it('exit code is 64 + status', () => {
    assert.equal(rpcExitCode(14), 78);
    const e = rpcStatusError(5, 'gone');
    assert.equal(e.exitCode, 69);
    assert.equal(e.code, 'RPC_NOT_FOUND');
    assert.match(e.message, /NOT_FOUND: gone/);
    assert.equal(grpcStatusName(16), 'UNAUTHENTICATED');
    assert.equal(grpcStatusName(99), 'STATUS_99');
  });
  it('maps HTTP statuses per the gRPC transport spec and per google.rpc.Code for REST', () => {
    assert.deepEqual([400, 401, 403, 404, 429, 502, 503, 504, 500].map(grpcStatusForHttpTransport), [13, 16, 7, 12, 14, 14, 14, 14, 2]);
    assert.deepEqual([200, 400, 401, 403, 404, 409, 429, 499, 500, 501, 503, 504].map(grpcStatusForRestStatus), [0, 3, 16, 7, 5, 10, 8, 1, 13, 12, 14, 4]);
  });
});
