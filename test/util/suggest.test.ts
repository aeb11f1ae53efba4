import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {didYouMean, editDistance, suggest} from '../../src/util/index.js';

describe('near-miss suggestions', () => {
  it('computes edit distance case-insensitively', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('SayHello', 'sayhello'), 0);
    assert.equal(editDistance('', 'abc'), 3);
  });
  it('suggests close names, by full or short (last dotted) name, and nothing for far ones', () => {
    assert.deepEqual(suggest('greetr', ['greeter', 'billing', 'users']), ['greeter']);
    assert.deepEqual(suggest('Greeter', ['helloworld.Greeter', 'grpc.health.v1.Health']), ['helloworld.Greeter']);
    assert.deepEqual(suggest('zzzzzz', ['greeter', 'billing']), []);
    assert.equal(didYouMean('SayHelo', ['SayHello', 'SayHelloStreamReply']), " (did you mean 'SayHello'?)");
    assert.equal(didYouMean('qqq', ['SayHello']), '');
  });
});
