import {fromJson, toJson, ScalarType} from '@bufbuild/protobuf';
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {buildRequest, parseScalar, RequestCancelled, type Choice, type Prompter} from '../../src/repl/guided/index.js';
import {Order} from './fixtures/kitchen-sink.js';

type Answer = string | boolean;

/** Answers prompts from a list, like a user would, and records what was asked and which answers were refused. */
class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  readonly refused: string[] = [];
  /** The default each yes/no question offered (what Enter answers). */
  readonly confirmDefaults: [string, boolean][] = [];
  constructor(private readonly answers: Answer[]) {}

  private next(message: string): Answer {
    this.asked.push(message);
    if (this.answers.length === 0) throw new RequestCancelled();
    return this.answers.shift()!;
  }

  async text(message: string, opts: {validate?: (v: string) => true | string} = {}): Promise<string> {
    for (;;) {
      const a = String(this.next(message));
      const v = opts.validate?.(a) ?? true;
      if (v === true) return a;
      this.refused.push(`${a}: ${v}`);
    }
  }

  async choose<T>(message: string, choices: Choice<T>[]): Promise<T> {
    const a = this.next(message);
    const c = choices.find((x) => x.name === a || x.name.startsWith(`${String(a)} `));
    assert.ok(c, `no choice '${String(a)}' in ${choices.map((x) => x.name).join(', ')} (asked: ${message})`);
    return c.value;
  }

  async confirm(message: string, defaultValue: boolean): Promise<boolean> {
    this.confirmDefaults.push([message, defaultValue]);
    return Boolean(this.next(message));
  }

  note(): void {}
}

describe('guided request building', () => {
  it('asks every kind of field and builds proto3 JSON that the schema accepts', async () => {
    const p = new ScriptedPrompter([
      'o-1',
      '12345678901234567890', '9007199254740993', // int64: out of range, then one past 2^53 (kept exact as a string)
      '-1', '7', // uint32
      'abc', '0.25', // double
      true, // urgent (bool)
      'not base64!', 'aGVsbG8=', // bytes
      'GREEN', // enum
      true, 'Main', '', // ship_to: set it, street, skip number
      'add tags[0]', 'a', 'add tags[1]', 'b', 'finish', // repeated string
      'finish', // repeated message: none
      'add an entry', 'x', '3', 'finish', // map<string, int32>
      'card', 'visa', // oneof payment
      'yesterday', '2024-05-01T12:00:00Z', // Timestamp
      '1m30s', // Duration
      '', // StringValue: skipped
      '0', // optional int32: explicit presence keeps 0
    ]);
    const json = await buildRequest(Order, p);
    assert.deepEqual(json, {
      id: 'o-1', big: '9007199254740993', small: 7, ratio: 0.25, urgent: true, blob: 'aGVsbG8=', color: 'GREEN',
      shipTo: {street: 'Main'}, tags: ['a', 'b'], counts: {x: 3}, card: 'visa', due: '2024-05-01T12:00:00Z', ttl: '90s', priority: 0,
    });
    const msg = fromJson(Order, json) as unknown as {big: bigint};
    assert.equal(msg.big, 9007199254740993n);
    assert.deepEqual(toJson(Order, msg as never), json);
    assert.deepEqual(p.refused.map((r) => r.split(':')[0]), ['12345678901234567890', '-1', 'abc', 'not base64!', 'yesterday']);
    assert.match(p.refused[0], /out of range for int64/);
    assert.match(p.refused[4], /RFC 3339/);
  });

  it("accepts 'now' for a Timestamp and a oneof case that is a message", async () => {
    const skipAll = ['', '', '', '', false, '', 'COLOR_UNSPECIFIED', false, 'finish', 'finish', 'finish'];
    const before = Date.now();
    const json = await buildRequest(Order, new ScriptedPrompter([...skipAll, 'invoice', 'Elm', '12', 'now', '', '', '']));
    assert.deepEqual(json.invoice, {street: 'Elm', number: 12});
    const due = Date.parse(String(json.due));
    assert.ok(due >= before - 1000 && due <= Date.now() + 1000, `due ${json.due} is now`);
    assert.equal(json.color, undefined, 'the zero enum of an implicit field is left out');
    fromJson(Order, json);
  });

  it('optional nested messages (and Empty) default to No, at every depth', async () => {
    const p = new ScriptedPrompter(['', '', '', '', false, '', 'COLOR_UNSPECIFIED', true, '', '', 'finish', 'finish', 'finish', 'invoice', 'Elm', '12', 'now', '', '', '']);
    await buildRequest(Order, p);
    const sets = p.confirmDefaults.filter(([m]) => /^set /.test(m));
    assert.ok(sets.some(([m]) => /^set ship_to \(/.test(m)), JSON.stringify(p.confirmDefaults));
    assert.deepEqual(sets.filter(([, d]) => d), [], 'no "set X?" question defaults to Yes');
  });

  it('stops when the user cancels', async () => {
    await assert.rejects(buildRequest(Order, new ScriptedPrompter(['o-1'])), RequestCancelled);
  });

  it('parses scalars as typed', () => {
    assert.deepEqual(parseScalar(ScalarType.INT32, '2147483647'), {ok: true, value: 2147483647});
    assert.equal(parseScalar(ScalarType.INT32, '2147483648').ok, false);
    assert.deepEqual(parseScalar(ScalarType.UINT64, '18446744073709551615'), {ok: true, value: '18446744073709551615'});
    assert.equal(parseScalar(ScalarType.SINT64, '1.5').ok, false);
    assert.deepEqual(parseScalar(ScalarType.FLOAT, '-inf'), {ok: true, value: '-Infinity'});
    assert.equal(parseScalar(ScalarType.FLOAT, '1e39').ok, false);
    assert.deepEqual(parseScalar(ScalarType.DOUBLE, '1e39'), {ok: true, value: 1e39});
    assert.deepEqual(parseScalar(ScalarType.BOOL, 'yes'), {ok: true, value: true});
    assert.equal(parseScalar(ScalarType.BOOL, 'maybe').ok, false);
    assert.deepEqual(parseScalar(ScalarType.BYTES, 'aGk_'), {ok: true, value: 'aGk_'});
    assert.deepEqual(parseScalar(ScalarType.STRING, ' keep spaces '), {ok: true, value: ' keep spaces '});
  });
});
