import assert from 'node:assert/strict';
import {readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {History, ReverseSearch} from '../../src/repl/index.js';
import {tempHome} from '../helpers/cli.js';

describe('REPL history', () => {
  it('keeps whole commands newest first, persists them 0600 and reloads them', (t) => {
    const file = join(tempHome(t), 'repl_history');
    const h = new History(file, 3);
    h.add('services');
    h.add(`call greeter SayHello -d '{\n  "name": "ada"\n}'`);
    h.add('discover greeter');
    h.add('services');
    assert.equal(h.add(' header authorization=secret'), false, 'a leading space keeps a line out');
    assert.deepEqual(h.entries, ['services', 'discover greeter', `call greeter SayHello -d '{ "name": "ada" }'`]);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /secret/);
    h.add('use greeter');
    const again = new History(file, 3);
    assert.deepEqual(again.list(), ['discover greeter', 'services', 'use greeter']);
  });

  it('compacts the file when it grows past twice what it keeps', (t) => {
    const file = join(tempHome(t), 'repl_history');
    const h = new History(file, 2);
    for (let i = 0; i < 10; i++) h.add(`call ${i}`);
    assert.ok(readFileSync(file, 'utf8').trim().split('\n').length <= 4);
    assert.deepEqual(new History(file, 2).list(), ['call 8', 'call 9']);
  });
});

describe('reverse search (Ctrl-R)', () => {
  const history = ['call greeter SayHello', 'discover greeter', 'call other Ping', 'services'];

  it('narrows as the query grows and goes to older matches', () => {
    const s = new ReverseSearch(history);
    s.type('c');
    assert.equal(s.match, 'call greeter SayHello');
    s.type('all');
    assert.equal(s.match, 'call greeter SayHello');
    s.next();
    assert.equal(s.match, 'call other Ping');
    assert.equal(s.prompt, "(reverse-i-search)`call': ");
    s.next();
    assert.equal(s.match, 'call other Ping', 'no older match keeps the last one');
    assert.equal(s.prompt, "(failed reverse-i-search)`call': ");
    s.backspace();
    assert.equal(s.query, 'cal');
    assert.equal(s.match, 'call greeter SayHello');
  });

  it('finds nothing in an empty history and points at the match', () => {
    const s = new ReverseSearch([]);
    s.type('x');
    assert.equal(s.match, undefined);
    const t = new ReverseSearch(history);
    t.type('greeter');
    assert.equal(t.matchPosition, 5);
  });
});
