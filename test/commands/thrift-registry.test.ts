import assert from 'node:assert/strict';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {runDemo} from '../demo/run-demo.js';
import {clusterSuite, ROOT, runDial, startCluster} from '../helpers/cli.js';

const IDL = join(ROOT, 'proto', 'helloworld', 'helloworld.thrift');

/** A service whose instances registered only protocol=thrift is called in Thrift without --protocol: the registry metadata decides. */
describe('dial call NAME: an instance registered with protocol=thrift needs no --protocol (bin/run.js)', () => {
  const {home} = clusterSuite(after);
  let demo: Awaited<ReturnType<typeof runDemo>>;
  const dial = (args: string[]) => runDial(args, {home});
  before(async () => {
    await startCluster(home, ['--demos', 'none']);
    demo = await runDemo('greeter-thrift', 'demo/greeter/thrift-main.js');
    const port = demo.hostPort.split(':')[1];
    const reg = await dial(['register', 'thrift-only', '--port', port, '--protocol', 'thrift', '--meta', `thrift_idl=${IDL}`]);
    assert.equal(reg.code, 0, reg.stderr);
    // Two protocols under one name stay a choice for the user.
    const mixed = await dial(['register', 'mixed', '--port', port, '--id', 'mixed-thrift', '--protocol', 'thrift', '--meta', `thrift_idl=${IDL}`]);
    assert.equal(mixed.code, 0, mixed.stderr);
    const other = await dial(['register', 'mixed', '--port', '1', '--id', 'mixed-jsonrpc', '--protocol', 'jsonrpc']);
    assert.equal(other.code, 0, other.stderr);
  });
  after(() => demo?.stop());

  it('calls it in Thrift with the IDL from its metadata; --json names the instance', async () => {
    const r = await dial(['call', 'thrift-only', 'Greeter.SayHello', '-d', '{"name":"ada"}', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = r.json<{protocol: string; via: {instance: string}; messages: unknown[]}>();
    assert.deepEqual([j.protocol, j.via.instance, j.messages], ['thrift', 'thrift-only', [{message: 'Hello, ada!', instance: 'greeter-thrift-1'}]]);
  });

  it('instances of two protocols under one name: a usage error that names them and --protocol', async () => {
    const r = await dial(['call', 'mixed', 'Greeter.SayHello', '-d', '{"name":"ada"}']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /speak (thrift, json-rpc|json-rpc, thrift)[\s\S]*--protocol/);
    const t = await dial(['call', 'mixed', 'Greeter.SayHello', '--protocol', 'thrift', '-d', '{"name":"bob"}']);
    assert.equal(t.code, 0, t.stderr);
  });
});
