import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {isDialError} from '../../src/errors/index.js';
import {defaultInstanceSpecs, demoNames, parseDemos} from '../../src/runtime/instance-kinds.js';

describe('cluster up --demos', () => {
  it('all (the default) starts every kind; --instances N applies to the gRPC greeter', () => {
    assert.equal(parseDemos(undefined), undefined);
    assert.equal(parseDemos('all'), undefined);
    const specs = defaultInstanceSpecs(2);
    assert.equal(specs.filter((s) => s.kind === 'greeter-grpc').length, 2);
    for (const name of demoNames()) assert.ok(specs.length >= demoNames().length, name);
    assert.ok(specs.some((s) => s.kind === 'greeter-rest') && specs.some((s) => s.kind === 'greeter-msgpack'));
  });

  it('a list picks those demos only; none starts nothing', () => {
    assert.deepEqual(defaultInstanceSpecs(3, parseDemos('grpc')).map((s) => s.id), ['greeter-grpc-1', 'greeter-grpc-2', 'greeter-grpc-3']);
    assert.deepEqual(defaultInstanceSpecs(1, parseDemos(' rest, msgpack ')).map((s) => s.kind), ['greeter-rest', 'greeter-msgpack']);
    assert.deepEqual(defaultInstanceSpecs(3, parseDemos('none')), []);
  });

  it('an unknown name is a usage error with a suggestion', () => {
    assert.throws(() => parseDemos('grpc,rset'), (e) => isDialError(e) && e.exitCode === 2 && /unknown demo 'rset'.*did you mean 'rest'/.test(e.message));
  });
});
