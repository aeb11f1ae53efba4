import assert from 'node:assert/strict';
import {Writable} from 'node:stream';
import {describe, it} from 'node:test';
import {LineWriter} from '../../src/cli/line-writer.js';

/** A stream that records each write it gets. */
function sink(opts: {fail?: NodeJS.ErrnoException; highWaterMark?: number} = {}) {
  const writes: string[] = [];
  const stream = new Writable({
    highWaterMark: opts.highWaterMark,
    write(chunk: Buffer, _enc, done) {
      writes.push(chunk.toString('utf8'));
      setImmediate(() => done(opts.fail));
    },
  });
  return {stream, writes};
}

const turn = () => new Promise((r) => setImmediate(r));
/** Turns enough for the sink to have taken every write queued in it. */
const settle = async () => {
  for (let i = 0; i < 6; i++) await turn();
};

describe('LineWriter', () => {
  it('gathers the lines of one event-loop turn into one write: strings and bytes, UTF-8 kept', async () => {
    const {stream, writes} = sink();
    const w = new LineWriter(stream);
    w.line('one');
    w.bytes(Buffer.from('twö'));
    w.line('🙂 three');
    assert.deepEqual(writes, [], 'nothing written within the turn');
    await turn();
    assert.deepEqual(writes, ['one\ntwö\n🙂 three\n']);
    w.line('four');
    await turn();
    assert.deepEqual(writes, ['one\ntwö\n🙂 three\n', 'four\n']);
  });

  it('writes a full chunk at once, a line longer than a chunk whole, and each line at once when immediate', async () => {
    const {stream, writes} = sink();
    const w = new LineWriter(stream, {chunkBytes: 64});
    w.line('abcdef');
    w.line('ghijkl');
    w.bytes(Buffer.from('x'.repeat(60)));
    assert.deepEqual(writes, ['abcdef\nghijkl\n'], 'the chunk had no room for the third line: written at once');
    w.bytes(Buffer.from('y'.repeat(100)));
    await settle();
    assert.deepEqual(writes, ['abcdef\nghijkl\n', `${'x'.repeat(60)}\n`, `${'y'.repeat(100)}\n`], 'a line longer than a chunk: its own write, in order');
    const each = sink();
    const e = new LineWriter(each.stream, {immediate: true});
    e.line('a');
    e.bytes(Buffer.from('b'));
    await settle();
    assert.deepEqual(each.writes, ['a\n', 'b\n']);
  });

  it('says when the stream wants draining, and resolves once it drained', async () => {
    const {stream} = sink({highWaterMark: 8});
    const w = new LineWriter(stream, {immediate: true});
    assert.equal(w.drained(), undefined);
    w.line('more than eight bytes');
    const wait = w.drained();
    assert.ok(wait instanceof Promise);
    await wait;
    assert.equal(w.drained(), undefined);
  });

  it('a reader gone (EPIPE) calls onClosed once and writes nothing more', async () => {
    const {stream, writes} = sink({fail: Object.assign(new Error('write EPIPE'), {code: 'EPIPE'})});
    let closed = 0;
    const w = new LineWriter(stream, {immediate: true, onClosed: () => closed++});
    w.line('first');
    await turn();
    await turn();
    assert.equal(closed, 1);
    assert.equal(w.closed, true);
    w.line('second');
    w.line('third');
    await turn();
    assert.deepEqual(writes, ['first\n']);
    assert.equal(closed, 1);
  });
});
