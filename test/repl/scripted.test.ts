import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {clusterSuite, runDial, startCluster, tempHome} from '../helpers/cli.js';

/** `dial repl` with a script on stdin: one command per line, no prompts, the first failure's exit code. */
describe('dial repl, scripted (stdin is not a terminal)', () => {
  const {home} = clusterSuite(after);
  before(() => startCluster(home, ['--instances', '1', '--demos', 'grpc']));
  const repl = (script: string, args: string[] = []) => runDial(['repl', ...args], {home, input: script});

  it('runs dial commands and REPL commands in order', async () => {
    const r = await repl([
      'services',
      'dial discover greeter --format addrs',
      'use greeter',
      `call SayHello -d '{"name":"ada"}'`,
      'show methods',
      'desc HelloRequest',
      'header x-team=blue',
      'call SayHello -d {} -v',
      'use',
    ].join('\n'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^greeter\s+demo,grpc\s+1\s+1/m);
    assert.match(r.stdout, /^127\.0\.0\.1:\d+$/m);
    assert.match(r.stdout, /"message": "Hello, ada!"/);
    assert.match(r.stdout, /helloworld\.Greeter\/SayHelloStreamReply\s+server stream\s+helloworld\.HelloRequest\s+helloworld\.HelloReply/);
    assert.match(r.stdout, /helloworld\.HelloRequest is a message[\s\S]*message HelloRequest \{\n\s+string name = 1;\n[\s\S]*int32 count = 2;\n\}/);
    assert.match(r.stderr, /x-team: blue/, 'session metadata goes with the call');
    assert.match(r.stdout, /^target greeter \(127\.0\.0\.1:\d+\), service helloworld\.Greeter$/m);
    assert.ok(!(r.stdout + r.stderr).includes('\u001b['), 'no colors');
  });

  it('stops at the first failing command and exits with its code', async () => {
    const r = await repl('services\ncall greeter Nope\nservices\n');
    assert.equal(r.code, 76, r.stderr);
    assert.match(r.stderr, /no method 'Nope'/);
    assert.match(r.stderr, /line 2 failed with exit code 76: call greeter Nope/);
    assert.equal(r.stdout.match(/^NAME/gm)?.length, 1, 'the line after the failure did not run');
  });

  it('with --keep-going runs every line and exits with the first failure', async () => {
    const r = await repl('bogus\ncall greeter Nope\nservices\n', ['--keep-going']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'bogus'/);
    assert.match(r.stderr, /no method 'Nope'/);
    assert.match(r.stdout, /^greeter/m);
  });

  it('reads streaming messages from the lines after -d @-, and JSON across lines in quotes', async () => {
    const r = await repl([
      'call greeter SayHelloBidiStream -d @-',
      '{"name":"a"}',
      '{"name":"b"}',
      '',
      `call greeter SayHello -d '{`,
      '  "name": "multi"',
      `}'`,
    ].join('\n'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Hello, a![\s\S]*Hello, b![\s\S]*Hello, multi!/);
  });

  it('exit ends the script with its code', async () => {
    const r = await repl('exit 7\nservices\n');
    assert.equal(r.code, 7);
    assert.equal(r.stdout, '');
  });

  it('history prints the commands of the script so far, numbered, as on a terminal', async () => {
    const r = await repl('services\nuse greeter\nhistory\nhistory 1\n');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1 {2}services\n2 {2}use greeter\n3 {2}history\n/m);
    assert.match(r.stdout, /^4 {2}history 1\n$/m);
  });

  it('with a target set, call X METHOD takes X as the target when it is no method of the current one (the CLI\'s error)', async () => {
    const id = (await runDial(['discover', 'greeter', '--json'], {home})).json<{instances: {id: string}[]}>().instances[0].id;
    const cli = await runDial(['call', id, 'SayHello', '-d', '{}'], {home});
    const r = await repl(`use greeter\ncall ${id} SayHello -d '{}'\ncall SayHello -d '{"name":"bare"}'\n`, ['--keep-going']);
    assert.equal(r.code, cli.code, r.stderr);
    assert.match(r.stderr, new RegExp(`no service '${id}' in the registry`));
    assert.doesNotMatch(r.stderr, /unexpected argument/);
    assert.match(r.stdout, /Hello, bare!/, 'a method of the target still gets the target');
  });

  it('shows help for a topic and refuses pipes', async () => {
    const r = await repl('cluster\nservices | grep greeter\n');
    assert.match(r.stdout, /cluster up/);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'\|' is not supported/);
  });
});

describe('dial repl, scripted, without a cluster', () => {
  it('fails like the CLI would: exit 3', async (t) => {
    const r = await runDial(['repl'], {home: tempHome(t), input: 'help\nservices\n'});
    assert.equal(r.code, 3);
    assert.match(r.stdout, /REPL commands/);
    assert.match(r.stderr, /no local cluster is running/);
  });
});
