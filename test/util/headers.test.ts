import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {Headers as DialHeaders} from '../../src/util/headers.js';

type AnyHeaders = {
  append(n: string, v: string): void; set(n: string, v: string): void; delete(n: string): void; has(n: string): boolean; get(n: string): string | null;
  getSetCookie(): string[]; forEach(cb: (v: string, n: string) => void): void; entries(): Iterable<[string, string]>; keys(): Iterable<string>; values(): Iterable<string>;
  [Symbol.iterator](): Iterator<[string, string]>;
};

/** What a call does: its result, or that it threw a TypeError. */
function outcome(f: () => unknown): unknown {
  try {
    return {ok: f()};
  } catch (e) {
    return {threw: (e as Error).constructor.name};
  }
}

function snapshot(h: AnyHeaders): unknown {
  const each: [string, string][] = [];
  h.forEach((v, n) => each.push([n, v]));
  return {entries: [...h], each, keys: [...h.keys()], values: [...h.values()], cookies: h.getSetCookie()};
}

describe("dial's Headers (injected into the bundles) behaves as node's", () => {
  const NAMES = ['Content-Type', 'content-type', 'X-Trace', 'x-trace', 'set-cookie', 'Set-Cookie', 'grpc-timeout', 'te', 'a', 'B', 'x-bin-bin', 'bad name', 'bad:name', '', 'ünï', 'x\u0100', 'tab\t', "tok!#$%&'*+-.^_`|~"];
  const VALUES = ['1', 'a, b', ' padded ', '\tx\t', 'trailers', '', 'a=b; Path=/', 'line\nbreak', 'cr\rx', 'nul\0x', 'é', 'x\u0100', 'x\u2028', '  ', 'c2VjcmV0', '"quoted"'];

  it('agrees on random sequences of operations', () => {
    let seed = 42;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let round = 0; round < 400; round++) {
      const a = new Headers() as unknown as AnyHeaders;
      const b = new DialHeaders() as unknown as AnyHeaders;
      for (let step = 0; step < 12; step++) {
        const name = NAMES[next(NAMES.length)];
        const value = VALUES[next(VALUES.length)];
        const op = ['append', 'set', 'delete', 'has', 'get', 'append'][next(6)] as 'append' | 'set' | 'delete' | 'has' | 'get';
        const call = (h: AnyHeaders) => outcome(() => (op === 'append' || op === 'set' ? h[op](name, value) : h[op](name)));
        assert.deepEqual(call(b), call(a), `round ${round} step ${step}: ${op}(${JSON.stringify(name)}, ${JSON.stringify(value)})`);
      }
      assert.deepEqual(snapshot(b), snapshot(a), `round ${round}`);
    }
  });

  it('agrees on every kind of constructor argument', () => {
    const inits: unknown[] = [
      undefined, null, {}, {'Content-Type': 'application/grpc', 'x-a': ' 1 '}, [['a', '1'], ['A', '2'], ['set-cookie', 'x=1'], ['set-cookie', 'y=2']],
      new Map([['te', 'trailers']]), [['only-one']], [['a', 'b', 'c']], ['ab'], {'bad name': 'x'}, {ok: 'line\nbreak'}, 42, 'a', [[]],
      new Headers([['x', '1'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]),
    ];
    for (const init of inits) {
      const mk = (C: new (i?: unknown) => AnyHeaders) => outcome(() => snapshot(new C(init)));
      assert.deepEqual(mk(DialHeaders as never), mk(Headers as never), `new Headers(${String(init)})`);
    }
    // One of dial's own as the argument, as Connect does when it copies headers.
    const own = new DialHeaders([['x', '1'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
    assert.deepEqual(snapshot(new DialHeaders(own) as never), snapshot(new Headers([['x', '1'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]) as never));
    assert.equal(Object.prototype.toString.call(own), '[object Headers]');
  });
});
