import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {addReflection, grpcServiceDefinition} from '../../src/demo/grpc-kit/index.js';
import {clusterSuite, startCluster} from '../helpers/cli.js';
import {Terminal, terminalSkipReason} from '../helpers/terminal.js';
import {kitchenFile, Shop} from './fixtures/kitchen-sink.js';

/** A gRPC server of kitchen.Shop with reflection: Place echoes the order it gets. */
async function startShop(): Promise<{port: number; stop: () => void}> {
  const server = new grpc.Server();
  server.addService(grpcServiceDefinition(Shop), {
    place: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, call.request),
    track: (call: grpc.ServerWritableStream<unknown, unknown>) => call.end(),
  });
  addReflection(server, [kitchenFile]);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  return {port, stop: () => server.forceShutdown()};
}

describe('dial repl on a terminal', {skip: terminalSkipReason()}, () => {
  const {home} = clusterSuite(after);
  const terminals: Terminal[] = [];
  let shop: {port: number; stop: () => void};
  before(async () => {
    await startCluster(home, ['--instances', '1', '--demos', 'grpc']);
    shop = await startShop();
  });
  after(() => {
    for (const t of terminals) t.close();
    shop?.stop();
  });
  const repl = async (args: string[] = []) => {
    const t = await Terminal.start({home, args: ['repl', ...args]});
    terminals.push(t);
    await t.waitFor(/^dial.*> $/, 15_000, () => t.cursorLine());
    return t;
  };
  /** Types a line, presses Enter, and waits until the REPL shows its next prompt; returns the screen. */
  const run = async (t: Terminal, line: string, expect?: RegExp) => {
    const prompts = (screen: string) => screen.split('\n').filter((l) => /^dial.*> /.test(l)).length;
    const before = prompts(t.screen());
    t.type(line);
    t.press('Enter');
    const screen = await t.waitUntil((s) => prompts(s) > before && /^dial.*> $/.test(t.cursorLine()), 15_000, `a prompt after '${line}'`);
    if (expect) assert.match(screen, expect);
    return screen;
  };

  it('completes commands, flags, services, methods and @files, and shows target and exit code in the prompt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dial-repl-files-'));
    writeFileSync(join(dir, 'request.json'), '{"name":"file"}');
    after(() => rmSync(dir, {recursive: true, force: true}));
    const t = await repl();
    t.type('servi');
    t.press('Tab');
    await t.waitFor(/dial> services $/, 15_000, () => t.cursorLine());
    t.press('Enter');
    await t.waitFor(/^greeter\s+demo,grpc\s+1/m);

    t.type('use gre');
    t.press('Tab');
    await t.waitFor(/dial> use greeter $/, 15_000, () => t.cursorLine());
    t.press('Enter');
    await t.waitFor(/^dial greeter\(127\.0\.0\.1:\d+\) helloworld\.Greeter> $/m);

    t.type('call SayHelloS');
    t.press('Tab');
    await t.waitFor(/> call SayHelloStreamReply $/, 15_000, () => t.cursorLine());
    t.type(`--emit`);
    t.press('Tab');
    await t.waitFor(/> call SayHelloStreamReply --emit-defaults $/, 15_000, () => t.cursorLine());
    await run(t, `-d '{"name":"ada","count":2}'`, /Hello, ada! \(1\/2\)[\s\S]*Hello, ada! \(2\/2\)/);

    t.type(`call SayHello -d @${dir}/req`);
    t.press('Tab');
    await t.waitFor(`-d @${dir}/request.json `, 15_000, () => t.cursorLine());
    await run(t, '', /"message": "Hello, file!"/);

    t.type('cluster st');
    t.press('Tab');
    await t.waitFor(/> cluster status $/, 15_000, () => t.cursorLine());
    t.press('C-u');

    const screen = await run(t, 'call Nope');
    assert.match(screen, /error: greeter has no method 'Nope'/);
    assert.match(t.cursorLine(), /^dial greeter\(127\.0\.0\.1:\d+\) helloworld\.Greeter \[76\]> $/);
    await run(t, 'use -');
    assert.equal(t.cursorLine(), 'dial> ', 'a command that succeeds clears the code');
  });

  it('refreshes service names when the registry changes', async () => {
    const t = await repl();
    const cluster = JSON.parse(readFileSync(join(home, 'cluster.json'), 'utf8')) as {api: {url: string}};
    const res = await fetch(`${cluster.api.url}/v1/agent/service/register`, {
      method: 'PUT',
      body: JSON.stringify({ID: 'zebra-1', Name: 'zebra', Address: '127.0.0.1', Port: 9}),
    });
    assert.equal(res.status, 200);
    // The blocking query wakes up on the change; completion sees it without restarting the REPL.
    const deadline = Date.now() + 20_000;
    for (;;) {
      t.press('C-u');
      t.type('discover zeb');
      t.press('Tab');
      await new Promise((r) => setTimeout(r, 200));
      if (/discover zebra $/.test(t.cursorLine())) break;
      assert.ok(Date.now() < deadline, `zebra was never completed: ${t.cursorLine()}`);
    }
    await run(t, '', /zebra-1\s+127\.0\.0\.1:9\s/);
  });

  it('builds a request field by field, validating as typed, and shows it as a command', async () => {
    const t = await repl([`127.0.0.1:${shop.port}`]);
    assert.match(t.cursorLine(), new RegExp(`^dial 127\\.0\\.0\\.1:${shop.port} kitchen\\.Shop> $`));
    t.type('call Place');
    t.press('Enter');
    const answer = async (question: RegExp | string, ...keys: (string | [string])[]) => {
      await t.waitFor(question);
      for (const k of keys) {
        if (Array.isArray(k)) t.press(k[0]);
        else t.type(k);
      }
    };
    await answer('id (string)', 'o-1', ['Enter']);
    await answer('big (int64)', '12345678901234567890', ['Enter']);
    await answer('out of range for int64', ['C-u'], '42', ['Enter']);
    await answer('small (uint32)', ['Enter']);
    await answer('ratio (double)', 'x', ['Enter']);
    await answer('double needs a number', ['C-u'], '0.5', ['Enter']);
    await answer('urgent (bool)', 'y', ['Enter']);
    await answer('blob (bytes)', ['Enter']);
    await answer('color (kitchen.Color)', ['Down'], ['Down'], ['Enter']);
    await answer('set ship_to (kitchen.Address)? (y/N)', 'y', ['Enter']);
    await answer('ship_to.street (string)', 'Main', ['Enter']);
    await answer('ship_to.number (int32)', ['Enter']);
    await answer('tags (repeated string, 0 so far)', ['Up'], ['Enter']);
    await answer('tags[0] (string)', 'a', ['Enter']);
    await answer('tags (repeated string, 1 so far)', ['Enter']);
    await answer('stops (repeated kitchen.Address, 0 so far)', ['Enter']);
    await answer('counts (map<string, int32>, 0 so far)', ['Up'], ['Enter']);
    await answer('counts key (string)', 'x', ['Enter']);
    await answer('counts["x"] (int32)', '3', ['Enter']);
    await answer('counts (map<string, int32>, 1 so far)', ['Enter']);
    await answer('payment: which one?', ['Down'], ['Enter']);
    await answer('? card (string):', 'visa', ['Enter']);
    await answer("due (Timestamp: 'now' or RFC 3339)", 'now', ['Enter']);
    await answer('ttl (Duration', '1m30s', ['Enter']);
    await answer('note (string)', ['Enter']);
    await answer('priority (int32)', '0', ['Enter']);
    const screen = await t.waitFor(/"priority": 0[\s\S]*\n}\n[\s\S]*> $/);
    const request = /request: (\{.*\})/.exec(screen)?.[1];
    assert.ok(request, screen);
    const json = JSON.parse(request) as Record<string, unknown>;
    assert.deepEqual({...json, due: undefined}, {
      id: 'o-1', big: '42', ratio: 0.5, urgent: true, color: 'GREEN', shipTo: {street: 'Main'}, tags: ['a'], counts: {x: 3},
      card: 'visa', due: undefined, ttl: '90s', priority: 0,
    });
    assert.match(screen, new RegExp(`as a command: dial call 127\\.0\\.0\\.1:${shop.port} kitchen\\.Shop/Place -d '\\{"id":"o-1"`));
    assert.match(screen, /"big": "42"/, 'the server got the request and echoed it');
    t.press('Up');
    await t.waitFor(new RegExp(`\\n[^\\n]*> call 127\\.0\\.0\\.1:${shop.port} kitchen\\.Shop/Place -d '\\{"id":"o-1"[^\\n]*'$`), 15_000);
    t.press('C-u');
  });

  it('Ctrl-C cancels the request or the command, never the REPL', async () => {
    const t = await repl([`127.0.0.1:${shop.port}`]);
    t.type('call Place');
    t.press('Enter');
    await t.waitFor('id (string)');
    t.press('C-c');
    await t.waitFor(/request cancelled\n.*kitchen\.Shop \[130\]> $/);

    await run(t, 'use greeter');
    t.type('cluster logs -f -n 1');
    t.press('Enter');
    await t.waitFor(/cluster logs -f -n 1\n.+daemon/);
    t.press('C-c');
    await t.waitFor(/helloworld\.Greeter \[130\]> $/);

    t.type('some half typed line');
    t.press('C-c');
    await t.waitFor(/some half typed line\^C\n.*\[130\]> $/);
    await run(t, 'call SayHello -d \'{"name":"still here"}\'', /Hello, still here!/);
    assert.equal(t.exitStatus(), undefined);
  });

  it('keeps history across sessions, with multi-line commands and Ctrl-R', async () => {
    const t = await repl(['greeter']);
    t.type(`call SayHello -d '{`);
    t.press('Enter');
    await t.waitFor(/\.\.\. $/, 15_000, () => t.cursorLine());
    t.type('"name": "multi"');
    t.press('Enter');
    t.type(`}'`);
    t.press('Enter');
    await t.waitFor(/Hello, multi![\s\S]*> $/);
    await run(t, 'show methods');
    t.press('C-r');
    t.type('mul');
    await t.waitFor(`(reverse-i-search)\`mul': call SayHello -d '{ "name": "multi" }'`, 15_000, () => t.cursorLine());
    t.press('Enter');
    await t.waitFor(/Hello, multi![\s\S]*Hello, multi![\s\S]*> $/);
    await run(t, 'history', /\d+ {2}show methods\n *\d+ {2}call SayHello -d '\{ "name": "multi" \}'\n *\d+ {2}history\n/);
    t.press('C-d');
    assert.equal(await t.waitForExit(), 0);
    assert.equal(statSync(join(home, 'repl_history')).mode & 0o777, 0o600);

    const again = await repl();
    again.press('Up');
    await again.waitFor(/dial> history$/, 15_000, () => again.cursorLine());
    again.press('Up');
    await again.waitFor(`dial> call SayHello -d '{ "name": "multi" }'`, 15_000, () => again.cursorLine());
    again.press('C-u');
    again.type('exit 3');
    again.press('Enter');
    assert.equal(await again.waitForExit(), 3);
  });

  it('sends bidi streaming messages as they are typed and prints replies as they arrive', async () => {
    const t = await repl(['greeter']);
    t.type('call SayHelloBidiStream');
    t.press('Enter');
    await t.waitFor(/^1> $/, 15_000, () => t.cursorLine());
    t.type('{"name":"x"}');
    t.press('Enter');
    // The reply comes while the input is still open: the next message's prompt is below it.
    await t.waitFor(/1> \{"name":"x"\}\n\{\n {2}"message": "Hello, x!"[\s\S]*\n2> $/);
    t.type('not json');
    t.press('Enter');
    await t.waitFor(/that is not JSON[\s\S]*\n2> $/);
    t.type('{"name":"y"}');
    t.press('Enter');
    await t.waitFor(/Hello, y![\s\S]*\n3> $/);
    t.press('Enter');
    await t.waitFor(/3> \n.*Greeter> $/);

    t.type('call SayHelloBidiStream');
    t.press('Enter');
    await t.waitFor(/^1> $/, 15_000, () => t.cursorLine());
    t.press('C-c');
    await t.waitFor(/error: interrupted\n.*Greeter \[130\]> $/);
  });

  it('Ctrl-D on an empty line leaves with exit code 0', async () => {
    const t = await repl();
    assert.match(t.cursorLine(), /^dial> $/);
    t.press('C-d');
    assert.equal(await t.waitForExit(), 0);
  });
});
