import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {Args, Flags, Parser} from '@oclif/core';
import Call from '../../commands/call.js';
import {FAST_TRANSFORMS} from '../../src/cli/fast.js';
import {fastParse} from '../../src/cli/fast-parse.js';
import {fastSpecOf} from '../../src/cli/fast-spec.js';

/** What oclif's own parser makes of `dial call ARGV`, with the flags a DialCommand gets (--json, base flags, the command's). */
async function oclifParse(argv: string[], env: Record<string, string>): Promise<{args: unknown; flags: unknown}> {
  const saved = {...process.env};
  Object.assign(process.env, env);
  try {
    const flags = {json: Flags.boolean({description: 'Format output as json.', helpGroup: 'GLOBAL'}), ...Call.baseFlags, ...Call.flags};
    const r = await Parser.parse(argv, {flags, args: Call.args, strict: true});
    return {args: r.args, flags: r.flags};
  } finally {
    for (const k of Object.keys(env)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

const accepted: [string, string[], Record<string, string>?][] = [
  ['target and method', ['127.0.0.1:1', 'helloworld.Greeter/SayHello']],
  ['-d and a JSON body', ['greeter', 'SayHello', '-d', '{"name":"ada"}']],
  ['--data=VALUE and --json', ['greeter', 'SayHello', '--data={"a":1}', '--json']],
  ['REST: a path, repeated -H and --query', ['greeter', 'GET', '/hello/ada', '-H', 'a: 1', '-H', 'b: 2', '--query', 'x=1', '--query', 'y=2']],
  ['--protocol through its transform', ['greeter', 'SayHello', '--protocol', 'grpcweb']],
  ['integers within their bounds', ['greeter', 'SayHello', '--lb', 'p2c', '-n', '300', '-c', '8', '--retries', '2']],
  ['TLS files with both --cert and --key', ['greeter', 'SayHello', '--cacert', 'ca.pem', '--cert', 'c.pem', '--key', 'k.pem', '--servername', 'x', '--insecure']],
  ['booleans and durations', ['greeter', 'SayHello', '-v', '--emit-defaults', '--ndjson', '--http2', '--max-time', '5s', '--connect-timeout', '3s']],
  ['repeatable schema flags', ['greeter', 'SayHello', '--proto', 'a.proto', '-I', 'dir', '--proto', 'b.proto', '--protoset', 'x.pb']],
  ['--schema beside --proto (the one set of schema flags)', ['greeter', 'SayHello', '--schema', 'a.proto', '--schema', 'b.protoset', '--import-path', 'dir', '-I', 'other']],
  ['a URL target that names the method (buf curl form)', ['https://api.example/pkg.Service/Method', '-d', '{}', '--protocol', 'connect']],
  ['connection flags', ['unix:/tmp/s.sock', 'Echo', '--plaintext', '--unix', '/tmp/s.sock', '--authority', 'x', '--user-agent', 'u/1']],
  ['options flags', ['greeter', 'SayHello', '--codec', 'msgpack', '--soap-version', '1.2', '--wsdl', 'x.wsdl']],
  ['registry flags and globals', ['greeter', 'SayHello', '--registry', 'consul://127.0.0.1:8500', '--token', 't', '--no-color', '--no-input']],
  ['-d @- and a lone -', ['greeter', 'SayHello', '-d', '@-']],
  ['flags before the arguments', ['-d', '{}', '--json', 'greeter', 'SayHello']],
  ['values from the environment', ['greeter', 'SayHello'], {DIAL_PROTOCOL: 'grpcweb', DIAL_REGISTRY: 'dial://127.0.0.1:1', DIAL_TOKEN: 'abc'}],
  ['a flag beats its environment variable', ['greeter', 'SayHello', '--protocol', 'grpc'], {DIAL_PROTOCOL: 'connect'}],
  ['an empty environment variable is no value', ['greeter', 'SayHello'], {DIAL_PROTOCOL: '', DIAL_REGISTRY: ''}],
];

const declined: [string, string[], Record<string, string>?][] = [
  ['a missing argument (oclif may read it from stdin)', []],
  ['an unknown flag', ['greeter', 'SayHello', '--bogus']],
  ['--help', ['greeter', 'SayHello', '--help']],
  ['a flag without its value', ['greeter', 'SayHello', '-d']],
  ['a repeated single flag', ['greeter', 'SayHello', '-d', 'x', '-d', 'y']],
  ['a value that is not an option', ['greeter', 'SayHello', '--protocol', 'bogus']],
  ['an integer below its minimum', ['greeter', 'SayHello', '-n', '0']],
  ['an integer above its maximum', ['greeter', 'SayHello', '--retries', '11']],
  ['a non-integer', ['greeter', 'SayHello', '-n', 'x']],
  ['exclusive flags', ['greeter', 'SayHello', '--ndjson', '--json']],
  ['--plaintext with --tls', ['greeter', 'SayHello', '--plaintext', '--tls']],
  ['--cert without --key', ['greeter', 'SayHello', '--cert', 'c.pem']],
  ['too many arguments', ['greeter', 'GET', '/p', 'extra']],
  ['--', ['greeter', 'SayHello', '--', 'x']],
  ['combined short flags', ['greeter', 'SayHello', '-vd', 'x']],
  ['a value that starts with -', ['greeter', 'SayHello', '-d', '-5']],
  ['a value on a boolean', ['greeter', 'SayHello', '--verbose=true']],
  ['an environment value that is not an option', ['greeter', 'SayHello'], {DIAL_PROTOCOL: 'bogus'}],
];

describe('the fast parser of `dial call`', async () => {
  const spec = await fastSpecOf('call', Call, FAST_TRANSFORMS);

  for (const [name, argv, env = {}] of accepted) {
    it(`accepts ${name}, with oclif's result`, async () => {
      const fast = fastParse(spec, argv, env, FAST_TRANSFORMS);
      assert.ok(fast, `declined ${argv.join(' ')}`);
      assert.deepEqual(fast, await oclifParse(argv, env));
    });
  }

  for (const [name, argv, env = {}] of declined) {
    it(`leaves ${name} to oclif`, () => {
      assert.equal(fastParse(spec, argv, env, FAST_TRANSFORMS), undefined);
    });
  }

  it('normalizes protocol aliases as the flag does', async () => {
    const fast = fastParse(spec, ['greeter', 'SayHello', '--protocol', 'jsonrpc'], {}, FAST_TRANSFORMS);
    assert.equal(fast?.flags.protocol, 'json-rpc');
    assert.equal(fast?.flags['connect-timeout'], '10s', 'defaults are filled in');
  });
});

describe('the fast-path spec of a command', () => {
  const base = {enableJsonFlag: true, args: {target: Call.args.target}};

  it('turns integer flags into bounds and keeps chars, options, env and relationships', async () => {
    const spec = await fastSpecOf('x', {...base, flags: {
      n: Flags.integer({char: 'n', min: 1, max: 5}),
      mode: Flags.string({options: ['a', 'b'], env: 'X_MODE'}),
      a: Flags.boolean({exclusive: ['b']}),
      b: Flags.boolean(),
    }}, {});
    assert.deepEqual(spec.flags.n, {name: 'n', type: 'option', kind: 'integer', char: 'n', min: 1, max: 5});
    assert.deepEqual(spec.flags.mode, {name: 'mode', type: 'option', kind: 'string', options: ['a', 'b'], env: 'X_MODE'});
    assert.deepEqual(spec.flags.a.exclusive, ['b']);
    assert.deepEqual(spec.args, [{name: 'target', required: true}]);
  });

  it('refuses, so the build fails, what the fast parser would get wrong', async () => {
    const refuse = async (flags: Record<string, unknown>, transforms = {}) =>
      assert.rejects(fastSpecOf('x', {...base, flags}, transforms), /the fast path cannot parse/);
    await refuse({p: Flags.string({parse: async (s) => s.toUpperCase()})});
    await refuse({p: Flags.string({options: ['a'], parse: async (s) => s.toUpperCase()})}, {p: (s: string) => s});
    await refuse({p: Flags.string({aliases: ['q']})});
    await refuse({p: Flags.string({required: true})});
    await refuse({p: Flags.string({default: async () => 'x'})});
    await refuse({p: Flags.boolean({allowNo: true})});
    await refuse({a: Flags.boolean({exclusive: ['b']}), b: Flags.string({default: 'x'})});
    await refuse({a: Flags.boolean({exclusive: ['missing']})});
    await assert.rejects(fastSpecOf('x', {...base, strict: false, flags: {}}, {}), /non-strict/);
    await assert.rejects(fastSpecOf('x', {...base, args: {p: Args.string()}, flags: {}}, {}), /read from stdin/);
  });

  it('accepts a parse function that has a transform giving the same value for every option', async () => {
    const spec = await fastSpecOf('x', {...base, flags: {p: Flags.string({options: ['a', 'B'], parse: async (s) => s.toLowerCase()})}}, {p: (s: string) => s.toLowerCase()});
    assert.equal(spec.flags.p.kind, 'transform');
  });
});
