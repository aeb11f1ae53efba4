import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {isIncomplete, shellQuote, splitCommandLine, wordAtCursor} from '../../src/repl/tokenize.js';

describe('REPL command lines', () => {
  it('splits words as a shell does', () => {
    assert.deepEqual(splitCommandLine(`call greeter SayHello -d '{"name":"ada"}' -H "x-user: $WHO"`, {WHO: 'grace'}),
      ['call', 'greeter', 'SayHello', '-d', '{"name":"ada"}', '-H', 'x-user: grace']);
    assert.deepEqual(splitCommandLine('discover greeter  # a comment'), ['discover', 'greeter']);
    assert.deepEqual(splitCommandLine('kv get app/*'), ['kv', 'get', 'app/*']);
    assert.deepEqual(splitCommandLine('call greeter \\\n  SayHello'), ['call', 'greeter', 'SayHello']);
    assert.deepEqual(splitCommandLine(`call g S -d '{\n  "name": "ada"\n}'`), ['call', 'g', 'S', '-d', '{\n  "name": "ada"\n}']);
  });

  it('refuses pipes and redirects with a usage error', () => {
    assert.throws(() => splitCommandLine('services | grep x'), (e: Error & {exitCode?: number}) => /'\|' is not supported/.test(e.message) && e.exitCode === 2);
    assert.throws(() => splitCommandLine('services > out.txt'), /'>' is not supported/);
  });

  it('knows when a command continues on the next line', () => {
    assert.equal(isIncomplete(`call g S -d '{`), true);
    assert.equal(isIncomplete(`call g S -d '{\n"name": "a"`), true);
    assert.equal(isIncomplete(`call g S -d '{\n"name": "a"\n}'`), false);
    assert.equal(isIncomplete('call g S -d "{\\"a\\":1'), true);
    assert.equal(isIncomplete('call g \\'), true);
    assert.equal(isIncomplete(`services # it's fine`), false);
    assert.equal(isIncomplete(`call g S -d "it's"`), false);
  });

  it('finds the word being completed', () => {
    assert.deepEqual(wordAtCursor('call gre'), {before: ['call'], word: 'gre'});
    assert.deepEqual(wordAtCursor('call greeter '), {before: ['call', 'greeter'], word: ''});
    assert.deepEqual(wordAtCursor(`call greeter S -d '{"a": 1}' -d @re`), {before: ['call', 'greeter', 'S', '-d', '{"a": 1}', '-d'], word: '@re'});
    assert.deepEqual(wordAtCursor(''), {before: [], word: ''});
  });

  it('quotes a command so it can be pasted into a shell', () => {
    const words = ['dial', 'call', 'greeter', 'helloworld.Greeter/SayHello', '-d', `{"name":"o'neil"}`];
    assert.equal(shellQuote(words), `dial call greeter helloworld.Greeter/SayHello -d '{"name":"o'\\''neil"}'`);
    assert.deepEqual(splitCommandLine(shellQuote(words)), words);
    assert.equal(shellQuote(['call', '127.0.0.1:50051', '']), "call 127.0.0.1:50051 ''");
  });
});
