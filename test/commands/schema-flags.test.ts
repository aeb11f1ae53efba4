import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {runDial, type RunResult} from '../helpers/cli.js';
import {startGrpcJsGreeter, type RunningServer} from '../helpers/grpc-servers.js';
import {PROTOC} from '../helpers/protoc.js';

const PROTO = 'proto/helloworld/helloworld.proto';
const THRIFT = 'proto/helloworld/helloworld.thrift';
const AVRO = 'proto/helloworld/helloworld.avsc';

/**
 * The one set of schema flags: --schema FILE (any kind, by extension),
 * --proto, -I/--import-path, --protoset, with the same names in dial call,
 * list, describe, codec encode|decode|compare and the REPL; and the
 * refusals where a flag makes no sense.
 */
describe('schema flags: the same names in every command', {concurrency: false}, () => {
  const home = mkdtempSync(join(tmpdir(), 'dial-schema-'));
  const dir = mkdtempSync(join(tmpdir(), 'dial-schema-files-'));
  let protoset: string;
  let bareProtoset: string;
  let greeter: RunningServer;
  const dial = (args: string[]) => runDial(args, {home});
  const ok = (r: RunResult, what: string) => assert.equal(r.code, 0, `${what}: ${r.stderr}`);

  before(async () => {
    // A server without reflection: only schema files can tell dial the method.
    greeter = await startGrpcJsGreeter({reflection: 'none'});
    protoset = join(dir, 'hello.protoset');
    bareProtoset = join(dir, 'hello.binpb');
    if (existsSync(PROTOC)) {
      execFileSync(PROTOC, ['-I', 'proto', '--include_imports', `--descriptor_set_out=${protoset}`, 'helloworld/helloworld.proto']);
      execFileSync(PROTOC, ['-I', 'proto', '--include_imports', `--descriptor_set_out=${bareProtoset}`, 'helloworld/helloworld.proto']);
    }
  });
  after(async () => {
    await greeter.close();
    rmSync(home, {recursive: true, force: true});
    rmSync(dir, {recursive: true, force: true});
  });

  const variants = (): [string, string[]][] => [
    ['--proto FILE', ['--proto', PROTO]],
    ['--schema FILE.proto', ['--schema', PROTO]],
    ['--schema NAME -I DIR', ['--schema', 'helloworld/helloworld.proto', '-I', 'proto']],
    ['--proto NAME --import-path DIR', ['--proto', 'helloworld/helloworld.proto', '--import-path', 'proto']],
    ...(existsSync(PROTOC) ? [['--protoset FILE', ['--protoset', protoset]], ['--schema FILE.binpb', ['--schema', bareProtoset]]] as [string, string[]][] : []),
  ];

  it('dial call: each schema flag against a server without reflection', async () => {
    const results = await Promise.all(variants().map(([, flags]) => dial(['call', greeter.address, 'helloworld.Greeter/SayHello', '-d', '{"name":"s"}', ...flags])));
    results.forEach((r, i) => {
      ok(r, variants()[i][0]);
      assert.match(r.stdout, /"message": "Hello, s!"/);
    });
  });

  it('dial list and dial describe: each schema flag, no server needed', async () => {
    const lists = await Promise.all(variants().map(([, flags]) => dial(['list', ...flags, 'helloworld.Greeter'])));
    const described = await Promise.all(variants().map(([, flags]) => dial(['describe', ...flags, 'HelloRequest'])));
    variants().forEach(([name], i) => {
      ok(lists[i], `list ${name}`);
      assert.match(lists[i].stdout, /helloworld\.Greeter\/SayHello +unary/);
      ok(described[i], `describe ${name}`);
      assert.match(described[i].stdout, /message HelloRequest \{\n {2}string name = 1;/);
    });
  });

  it('dial codec encode and decode: each protobuf schema flag gives the same bytes; Thrift and Avro by --schema', async () => {
    const enc = await Promise.all(variants().map(([, flags]) => dial(['codec', 'encode', '--codec', 'protobuf', ...flags, '--type', 'HelloRequest', '-d', '{"name":"ada","count":3}'])));
    variants().forEach(([name], i) => {
      ok(enc[i], `encode ${name}`);
      assert.equal(enc[i].stdout.trim(), '0a036164611003', name);
    });
    const dec = await Promise.all(variants().map(([, flags]) => dial(['codec', 'decode', '--codec', 'protobuf', ...flags, '--type', 'HelloRequest', '-d', '0a036164611003', '--json'])));
    dec.forEach((r, i) => {
      ok(r, `decode ${variants()[i][0]}`);
      assert.deepEqual(r.json(), {name: 'ada', count: 3});
    });
    const thrift = await dial(['codec', 'encode', '--codec', 'thrift-compact', '--schema', THRIFT, '--type', 'HelloRequest', '-d', '{"name":"ada","count":3}']);
    ok(thrift, 'thrift');
    assert.equal(thrift.stdout.trim(), '1803616461150600');
    const avro = await dial(['codec', 'encode', '--codec', 'avro', '--schema', AVRO, '--type', 'HelloRequest', '-d', '{"name":"ada","count":3}']);
    ok(avro, 'avro');
    assert.equal(avro.stdout.trim(), '06616461' + '06');
  });

  it('dial codec compare: --schema of every kind, --protoset and -I', async () => {
    const flags = existsSync(PROTOC) ? ['--protoset', protoset] : ['--proto', 'helloworld/helloworld.proto', '-I', 'proto'];
    const r = await dial(['codec', 'compare', '-d', '{"name":"ada","count":3}', '--type', 'HelloRequest', '--schema', THRIFT, '--schema', AVRO, ...flags, '--iterations', '5', '--json']);
    ok(r, 'compare');
    const codecs = r.json<{rows: {codec: string}[]}>().rows.map((row) => row.codec);
    for (const c of ['protobuf', 'thrift-binary', 'thrift-compact', 'avro']) assert.ok(codecs.includes(c), `${c} in ${codecs.join(', ')}`);
  });

  it('the REPL: the same flags on its call, list and describe lines', async () => {
    const script = [
      `call ${greeter.address} helloworld.Greeter/SayHello --schema helloworld/helloworld.proto -I proto -d '{"name":"repl"}'`,
      `list --schema ${PROTO} helloworld.Greeter`,
      `describe --proto ${PROTO} HelloReply`,
    ].join('\n');
    const r = await runDial(['repl'], {home, input: `${script}\n`});
    ok(r, 'repl');
    assert.match(r.stdout, /Hello, repl!/);
    assert.match(r.stdout, /helloworld\.Greeter\/SayHello/);
    assert.match(r.stdout, /message HelloReply/);
  });

  const refusals: [string, string[], RegExp][] = [
    ['a schemaless codec refuses every schema flag', ['codec', 'encode', '--codec', 'json', '--schema', PROTO, '-d', '{}'], /--proto\/--schema FILE\.proto makes no sense for --codec json: --codec json takes no schema/],
    ['avro refuses --protoset', ['codec', 'decode', '--codec', 'avro', '--protoset', 'x.protoset', '--type', 'T', '-d', '00'], /--protoset makes no sense for --codec avro: --codec avro takes --schema FILE\.avsc/],
    ['avro refuses -I', ['codec', 'encode', '--codec', 'avro', '--schema', AVRO, '-I', 'proto', '-d', '{}'], /-I\/--import-path makes no sense for --codec avro/],
    ['thrift refuses --proto', ['codec', 'encode', '--codec', 'thrift-binary', '--proto', PROTO, '--type', 'HelloRequest', '-d', '{}'], /makes no sense for --codec thrift-binary: --codec thrift-binary takes --schema FILE\.thrift/],
    ['protobuf refuses a .thrift IDL', ['codec', 'encode', '--codec', 'protobuf', '--schema', THRIFT, '--type', 'HelloRequest', '-d', '{}'], /--schema FILE\.thrift makes no sense for --codec protobuf[\s\S]*thrift-binary or thrift-compact/],
    ['a schema of unknown kind', ['list', '--schema', 'schema.txt'], /cannot tell its kind from the extension/],
    ['-I without a file it applies to', ['list', '-I', 'proto', 'x.Y'], /-I\/--import-path applies to \.proto imports/],
    ['call refuses an Avro schema', ['call', '127.0.0.1:1', 'M', '--schema', AVRO], /Avro schemas apply to dial codec \(--codec avro\), not to dial call/],
    ['list refuses an Avro schema', ['list', '--schema', AVRO], /not to dial list/],
    ['a REST call refuses --proto', ['call', '127.0.0.1:1', 'GET', '/x', '--protocol', 'rest', '--proto', PROTO], /makes no sense for a rest call: it takes no schema file/],
    ['a REST call found by its HTTP method refuses --schema', ['call', 'http://127.0.0.1:1/x', 'GET', '--schema', PROTO], /makes no sense for a rest call/],
    ['a JSON-RPC call refuses --protoset', ['call', '127.0.0.1:1', 'add', '--protocol', 'json-rpc', '--protoset', 'x.protoset'], /--protoset makes no sense for a json-rpc call/],
    ['SOAP describe refuses --schema, naming --wsdl', ['describe', '127.0.0.1:1', '--protocol', 'soap', '--schema', PROTO], /makes no sense for a soap call[\s\S]*--wsdl/],
    ['a Thrift IDL with a gRPC protocol', ['call', '127.0.0.1:1', 'M', '--protocol', 'grpc', '--schema', THRIFT], /is a Thrift IDL, and this call speaks grpc/],
    ['a Thrift IDL beside .proto files', ['call', '127.0.0.1:1', 'M', '--schema', THRIFT, '--proto', PROTO], /cannot go with protobuf schema files/],
  ];
  it('refusals: exit 2, saying which flags apply', async () => {
    const results = await Promise.all(refusals.map(([, args]) => dial(args)));
    refusals.forEach(([name, , message], i) => {
      assert.equal(results[i].code, 2, `${name}: ${results[i].stdout}${results[i].stderr}`);
      assert.match(results[i].stderr, message, name);
    });
  });
});
