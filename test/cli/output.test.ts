import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {parseHeaderFlags} from '../../src/cli/headers.js';
import {Output} from '../../src/cli/index.js';
import {toDialError} from '../../src/cli/parse-errors.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & {text: string} {
  const s = {isTTY, text: '', write(chunk: string) {
    s.text += chunk;
    return true;
  }};
  return s as unknown as NodeJS.WriteStream & {text: string};
}

describe('Output', () => {
  it('uses color only on a terminal, never with NO_COLOR or --no-color', () => {
    const tty = fakeStream(true);
    assert.notEqual(new Output({stdout: tty, stderr: tty, env: {}}).color.red('x'), 'x');
    assert.equal(new Output({stdout: fakeStream(false), stderr: fakeStream(false), env: {}}).color.red('x'), 'x');
    assert.equal(new Output({stdout: tty, stderr: tty, env: {NO_COLOR: '1'}}).color.red('x'), 'x');
    assert.equal(new Output({stdout: tty, stderr: tty, env: {}, noColor: true}).color.red('x'), 'x');
    assert.equal(new Output({stdout: tty, stderr: tty, env: {TERM: 'dumb'}}).color.red('x'), 'x');
  });
  it('renders borderless tables and NDJSON lines', () => {
    const out = new Output({stdout: fakeStream(false), stderr: fakeStream(false), env: {}});
    assert.equal(out.table(['A', 'LONGER'], [['x', 1], ['yyy', 22]]), 'A    LONGER\nx    1\nyyy  22');
    out.ndjson({a: 1});
    out.ndjson({b: 2});
    assert.equal((out.stdout as unknown as {text: string}).text, '{"a":1}\n{"b":2}\n');
  });
  it('shows progress only when stderr is a terminal and not under --json', () => {
    assert.equal(new Output({stdout: fakeStream(false), stderr: fakeStream(true), env: {}}).progress, true);
    assert.equal(new Output({stdout: fakeStream(false), stderr: fakeStream(false), env: {}}).progress, false);
    assert.equal(new Output({stdout: fakeStream(false), stderr: fakeStream(true), env: {}, json: true}).progress, false);
  });
});

describe('-H header flags', () => {
  it('parses name: value pairs, lower-casing names', () => {
    assert.deepEqual(parseHeaderFlags(['X-Trace: abc', 'authorization:Bearer t', 'key-bin: AAEC']), [['x-trace', 'abc'], ['authorization', 'Bearer t'], ['key-bin', 'AAEC']]);
    assert.deepEqual(parseHeaderFlags(undefined), []);
  });
  it('rejects what is not a header as a usage error', () => {
    for (const bad of ['novalue', ': x', 'bad name: x']) {
      assert.throws(() => parseHeaderFlags([bad]), (e: Error & {exitCode: number}) => e.exitCode === 2, bad);
    }
  });
  it('refuses values a header cannot carry (beyond Latin-1, control characters), pointing to -bin', () => {
    for (const bad of ['x-a: 日本', 'x-a: line\u0000nul', 'x-a: a\u0007b', 'x-a: a\u2028b']) {
      assert.throws(() => parseHeaderFlags([bad]), (e: Error & {exitCode: number; hint?: string}) => e.exitCode === 2 && /a character a header cannot carry/.test(e.message) && /-H 'x-a-bin: /.test(e.hint ?? ''), bad);
    }
    assert.deepEqual(parseHeaderFlags(['x-a: café', 'x-b: tab\there', 'x-c:  padded  ']), [['x-a', 'café'], ['x-b', 'tab\there'], ['x-c', 'padded']]);
  });
});

describe('error mapping in the base command', () => {
  it('keeps DialErrors, turns oclif parse errors into usage errors, and unknown errors into exit 1', () => {
    const parseErr = Object.assign(new Error('Nonexistent flag: --bogus\nSee more help with --help'), {name: 'NonExistentFlagsError', oclif: {exit: 2}});
    const u = toDialError(parseErr);
    assert.equal(u.exitCode, 2);
    assert.equal(u.message, 'Nonexistent flag: --bogus');
    const x = toDialError(new TypeError('boom'));
    assert.equal(x.exitCode, 1);
    assert.equal(x.code, 'INTERNAL');
    const a = toDialError(Object.assign(new Error('aborted'), {name: 'AbortError'}));
    assert.equal(a.exitCode, 130);
    // DOMException's code is a number (20), as are ConnectError's: neither may trip the string checks.
    assert.equal(toDialError(new DOMException('This operation was aborted', 'AbortError')).exitCode, 130);
    assert.equal(toDialError(Object.assign(new Error('[canceled] x'), {name: 'ConnectError', code: 1})).code, 'INTERNAL');
    const multi = toDialError(Object.assign(new Error('The following error occurred:\n  Missing required flag p12\nSee more help with --help'), {name: 'Error', oclif: {exit: 2}}));
    assert.equal(multi.message, 'Missing required flag p12');
  });

  it('OpenSSL errors from TLS files given on the command line are usage errors, not bugs', () => {
    const m = toDialError(Object.assign(new Error('error:05800074:x509 certificate routines::key values mismatch'), {code: 'ERR_OSSL_X509_KEY_VALUES_MISMATCH'}));
    assert.equal(m.exitCode, 2);
    assert.equal(m.code, 'KEY_MISMATCH');
    const pem = toDialError(Object.assign(new Error('error:0480006C:PEM routines::no start line'), {code: 'ERR_OSSL_PEM_NO_START_LINE'}));
    assert.equal(pem.exitCode, 2);
    assert.match(pem.message, /cannot use the TLS files given: no start line/);
  });
});
