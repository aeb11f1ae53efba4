import assert from 'node:assert/strict';
import {PassThrough} from 'node:stream';
import {describe, it} from 'node:test';
import {jsonStreamValues, parseJsonStream} from '../../src/rpc/request-data.js';

describe('request data (-d)', () => {
  it('splits a JSON stream: NDJSON, values back to back, values across lines', () => {
    assert.deepEqual(parseJsonStream('{"a":1}\n{"a":2}{"a":3} [4]\n"s" 5\n{\n "b": "}{"\n}\n', 'x'), [{a: 1}, {a: 2}, {a: 3}, [4], 's', 5, {b: '}{'}]);
    assert.throws(() => parseJsonStream('{"a":1}\n{"a":', 'stdin'), /stdin: message 2 \(line 2\) is not valid JSON/);
  });

  it('yields each message from a stream as soon as it is complete', async () => {
    const input = new PassThrough();
    const it = jsonStreamValues(input, 'stdin')[Symbol.asyncIterator]();
    input.write('{"n":1}\n{"n"');
    assert.deepEqual((await it.next()).value, {n: 1});
    input.write(':2}\n');
    assert.deepEqual((await it.next()).value, {n: 2});
    input.write('{"s":"a\\"}"}');
    input.end();
    assert.deepEqual((await it.next()).value, {s: 'a"}'});
    assert.equal((await it.next()).done, true);
  });

  it('names the line of a bad message in a stream', async () => {
    const input = new PassThrough();
    input.end('{"n":1}\n\n{"n":}\n');
    await assert.rejects(async () => {
      for await (const m of jsonStreamValues(input, 'stdin')) void m;
    }, /stdin: message 2 \(line 3\) is not valid JSON/);
  });
});
