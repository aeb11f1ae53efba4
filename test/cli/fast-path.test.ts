import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createServer, type Socket} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {BIN, clusterSuite, ROOT, runDial, startCluster, tempHome, type RunResult} from '../helpers/cli.js';
import {startGrpcJsGreeter, type RunningServer} from '../helpers/grpc-servers.js';
import {KCAT_MISSING, kcat, localKafka} from '../broker/kafka-helpers.js';

/** Times, trace ids and dates differ from run to run; everything else must not. */
function stable(r: RunResult): {code: number; stdout: string; stderr: string} {
  const scrub = (s: string) => {
    try {
      return JSON.stringify(JSON.parse(s), (k, v: unknown) => (/Ms$/.test(k) || ['traceparent', 'traceId', 'date'].includes(k) ? 'X' : v), 2);
    } catch {
      return s.replace(/\b[0-9a-f]{32}\b/g, 'TRACE');
    }
  };
  return {code: r.code, stdout: scrub(r.stdout), stderr: scrub(r.stderr)};
}

/** The URLs of the modules a run of `dial ARGS` loads (test/helpers/record-imports.mjs). */
function loadedModules(args: string[], env: Record<string, string> = {}): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'dial-fast-'));
  try {
    const record = join(dir, 'imports.txt');
    spawnSync(process.execPath, ['--import', join(ROOT, 'test', 'helpers', 'record-imports.mjs'), BIN, ...args], {
      env: {...process.env, DIAL_HOME: join(dir, 'home'), DIAL_RECORD_IMPORTS: record, NO_COLOR: '1', CI: 'true', ...env},
      timeout: 60_000,
    });
    return readFileSync(record, 'utf8').split('\n');
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

const oclifLoaded = (urls: string[]) => urls.some((u) => u.endsWith('/dist/bundle/main.js'));

/**
 * Checks that `dial ARGS` runs from dist/vendor/fast.cjs without loading
 * oclif, and that DIAL_FAST_PATH=0 and an unknown flag go to oclif; returns
 * the modules of the fast run.
 */
function assertFastPath(args: string[], what: string): string[] {
  const fast = loadedModules(args);
  assert.ok(fast.some((u) => u.endsWith('/dist/vendor/fast.cjs')), 'the recorder saw the fast path');
  assert.equal(oclifLoaded(fast), false, `oclif was loaded ${what}`);
  assert.equal(oclifLoaded(loadedModules(args, {DIAL_FAST_PATH: '0'})), true);
  assert.equal(oclifLoaded(loadedModules([...args, '--bogus'])), true, 'an unknown flag goes to oclif');
  return fast;
}

/** Runs `dial ARGS` on the fast path and under oclif (DIAL_FAST_PATH=0) and checks that they print the same. */
async function both(home: string, args: string[], input?: string, env: Record<string, string> = {}): Promise<RunResult> {
  const fast = await runDial(args, {home, input, env});
  const oclif = await runDial(args, {home, input, env: {...env, DIAL_FAST_PATH: '0'}});
  assert.deepEqual(stable(fast), stable(oclif), `dial ${args.join(' ')}`);
  return fast;
}

describe('dial call on the fast path (no oclif) and under oclif', () => {
  const home = tempHome();
  let greeter: RunningServer;
  before(async () => {
    greeter = await startGrpcJsGreeter({reflection: 'full'});
  });
  after(async () => {
    await greeter.close();
    rmSync(home, {recursive: true, force: true});
  });

  it('prints the same response, JSON document and exit code', async () => {
    const text = await both(home, ['call', greeter.address, 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}']);
    assert.equal(text.code, 0, text.stderr);
    assert.deepEqual(JSON.parse(text.stdout), {message: 'Hello, ada!', instance: 'grpc-js'});
    const json = await both(home, ['call', greeter.address, 'SayHello', '--data={"name":"ada"}', '--json']);
    assert.equal(json.json<{status: {code: number}}>().status.code, 0);
    const contentType = await both(home, ['call', greeter.address, 'SayHello'], undefined, {DIAL_CONTENT_TYPE: 'json'});
    assert.equal(contentType.json<{messages: unknown[]}>().messages.length, 1, 'DIAL_CONTENT_TYPE=json is --json');
    const ndjson = await both(home, ['call', greeter.address, 'SayHelloStreamReply', '-d', '{"name":"ada","count":2}', '--ndjson']);
    assert.equal(ndjson.stdout.trim().split('\n').length, 2);
  });

  it('stops quietly, exit 0, when stdout closes early (dial call ... | head)', async () => {
    for (const env of [{}, {DIAL_FAST_PATH: '0'}]) {
      const child = spawn(process.execPath, [BIN, 'call', greeter.address, 'SayHelloStreamReply', '-d', '{"name":"a","count":20000}', '--ndjson'], {
        env: {...process.env, DIAL_HOME: home, NO_COLOR: '1', CI: 'true', ...env}, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0, `${JSON.stringify(env)}: ${stderr}`);
      assert.doesNotMatch(stderr, /EPIPE/);
    }
  });

  it('Ctrl-C while the server says nothing is an interruption (exit 130), not a bug', async (t) => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s)).listen(0, '127.0.0.1');
    t.after(() => {
      for (const s of sockets) s.destroy();
      silent.close();
    });
    await new Promise((r) => silent.once('listening', r));
    const port = (silent.address() as {port: number}).port;
    for (const env of [{}, {DIAL_FAST_PATH: '0'}]) {
      const child = spawn(process.execPath, [BIN, 'call', `127.0.0.1:${port}`, 'helloworld.Greeter/SayHello', '--json'], {
        env: {...process.env, DIAL_HOME: home, NO_COLOR: '1', CI: 'true', ...env}, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const deadline = Date.now() + 20_000;
      while (sockets.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 130, `${JSON.stringify(env)}: ${stderr}`);
      assert.equal((JSON.parse(stdout) as {error: {code: string}}).error.code, 'INTERRUPTED');
      assert.doesNotMatch(stderr, /bug in dial/);
      for (const s of sockets.splice(0)) s.destroy();
    }
  });

  it('reads streaming requests from stdin the same way', async () => {
    const r = await both(home, ['call', greeter.address, 'SayHelloBidiStream', '-d', '@-'], '{"name":"a"}\n{"name":"b"}\n');
    assert.deepEqual(r.stdout.trim().split('\n').filter((l) => l.includes('message')), ['  "message": "Hello, a!"', '  "message": "Hello, b!"']);
  });

  it('reports the same errors: RPC status, unreachable target, bad input found while running, bad flags', async () => {
    const missing = await both(home, ['call', greeter.address, 'helloworld.Greeter/SayHellox', '-d', '{}']);
    assert.equal(missing.code, 76);
    const missingJson = await both(home, ['call', greeter.address, 'helloworld.Greeter/SayHellox', '-d', '{}', '--json']);
    assert.equal(missingJson.json<{error: {code: string}}>().error.code, 'METHOD_NOT_FOUND');
    const down = await both(home, ['call', '127.0.0.1:1', 'helloworld.Greeter/SayHello']);
    assert.equal(down.code, 3);
    const importPath = await both(home, ['call', greeter.address, 'SayHello', '-I', 'proto']);
    assert.equal(importPath.code, 2);
    assert.match(importPath.stderr, /--import-path applies to \.proto imports/);
    const badJson = await both(home, ['call', greeter.address, 'SayHello', '-d', '{nope']);
    assert.equal(badJson.code, 2);
    for (const args of [['--bogus'], ['-n', '0'], ['--protocol', 'bogus'], ['--ndjson', '--json']]) {
      const r = await both(home, ['call', greeter.address, 'SayHello', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^error: /);
    }
  });

  it('skips loading oclif, unless DIAL_FAST_PATH=0 or the input is for oclif (help, a typo)', () => {
    const tls = loadedModules(['tls', 'init', '--out', join(tmpdir(), 'dial-fast-never-written'), '--key', 'dsa']);
    assert.ok(oclifLoaded(tls), 'a bad --key goes to oclif');
    const fast = assertFastPath(['call', '127.0.0.1:1', 'helloworld.Greeter/SayHello', '-d', '{}'], 'on the fast path');
    assert.equal(fast.some((u) => u.endsWith('/dist/vendor/fast-tls.cjs')), false, 'a call loaded the fast path of tls init');
    // Nor is oclif inside the fast-path files: a flag definition (Flags.string) imported by a command's logic would bring @oclif/core along and run it.
    for (const file of ['fast.cjs', 'fast-tls.cjs']) {
      assert.doesNotMatch(readFileSync(join(ROOT, 'dist', 'vendor', file), 'utf8'), /^\/\/ \S*node_modules\/@oclif\/core\//m, `${file} holds @oclif/core`);
    }
    // tls init: the fast path too, from its own file (without the RPC code of fast.cjs), and no
    // oclif; DIAL_FAST_PATH=0 runs it under oclif.
    const out = mkdtempSync(join(tmpdir(), 'dial-fast-tls-'));
    try {
      const init = loadedModules(['tls', 'init', '--out', join(out, 'a')]);
      assert.ok(init.some((u) => u.endsWith('/dist/vendor/fast-tls.cjs')), 'tls init ran on the fast path');
      assert.equal(init.some((u) => u.endsWith('/dist/vendor/fast.cjs')), false, 'tls init loaded the fast path of call');
      assert.ok(existsSync(join(out, 'a', 'ca', 'ca.pem')) && existsSync(join(out, 'a', 'client.pem')), 'tls init wrote its files');
      assert.equal(oclifLoaded(init), false, 'oclif was loaded for tls init');
      assert.equal(oclifLoaded(loadedModules(['tls', 'init', '--out', join(out, 'b')], {DIAL_FAST_PATH: '0'})), true);
    } finally {
      rmSync(out, {recursive: true, force: true});
    }
  });
});

describe('dial discover and dial call NAME on the fast path and under oclif', () => {
  const {home} = clusterSuite(after);
  before(async () => {
    await startCluster(home, ['--instances', '1']);
  });

  it('list the same instances, in every format, and fail the same way', async () => {
    const table = await both(home, ['discover', 'greeter']);
    assert.match(table.stdout, /^ID\s+ADDRESS/);
    const addrs = await both(home, ['discover', 'greeter', '--healthy', '--format', 'addrs']);
    assert.match(addrs.stdout, /^127\.0\.0\.1:\d+\n$/);
    const json = await both(home, ['discover', 'greeter', '--json']);
    assert.equal(json.json<{instances: unknown[]}>().instances.length, 1);
    const none = await both(home, ['discover', 'nosuch']);
    assert.match(none.stderr, /no instances of 'nosuch' at dial:\/\/127\.0\.0\.1:\d+\n/);
    const typo = await both(home, ['discover', 'greetr']);
    assert.deepEqual([typo.code, typo.stdout], [0, '']);
    assert.match(typo.stderr, /no instances of 'greetr' at \S+ \(did you mean 'greeter'\?\)\n/);
    const badFormat = await both(home, ['discover', 'greeter', '--format', 'yaml']);
    assert.equal(badFormat.code, 2);
    const down = await both(home, ['discover', 'greeter', '--registry', 'dial://127.0.0.1:1']);
    assert.equal(down.code, 3);
    const call = await both(home, ['call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}', '--json']);
    assert.match(call.json<{messages: {message: string}[]}>().messages[0].message, /Hello, ada!/);
  });
});

describe('dial tls init on the fast path and under oclif', () => {
  it('makes the same files and reports the same errors', async (t) => {
    const home = tempHome(t);
    const fast = await runDial(['tls', 'init', '--out', join(home, 'fast'), '--json'], {home});
    const oclif = await runDial(['tls', 'init', '--out', join(home, 'oclif'), '--json'], {home, env: {DIAL_FAST_PATH: '0'}});
    assert.equal(fast.code, 0, fast.stderr);
    assert.equal(oclif.code, 0, oclif.stderr);
    const shape = (r: RunResult) => JSON.stringify(r.json(), (_k, v: unknown) => (typeof v === 'string' || typeof v === 'number' ? typeof v : v));
    assert.equal(shape(fast), shape(oclif), 'the same JSON document, key for key');
    for (const f of ['ca/ca.pem', 'server.pem', 'server-key.pem', 'client.pem', 'client-key.pem']) assert.ok(existsSync(join(home, 'fast', f)), f);
    const again = await both(home, ['tls', 'init', '--out', join(home, 'fast')]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /refusing to overwrite/);
    const badKey = await both(home, ['tls', 'init', '--out', join(home, 'x'), '--key', 'dsa']);
    assert.equal(badKey.code, 2);
    const oneWord = await both(home, ['tls init', '--json'], undefined);
    assert.equal(oneWord.code, 2, "'tls init' as one argument is no command (oclif says so)");
    assert.equal(existsSync(join(home, 'tls')), false, 'and writes nothing');
  });

  it("sets up neither chalk's colour detection nor stderr when it writes no diagnostic", (t) => {
    const home = tempHome(t);
    const list = join(home, 'modules.txt');
    const preload = join(home, 'modules.cjs');
    // At exit: the modules node loaded, and the handles open (process.stderr on a pipe is a Socket on fd 2).
    writeFileSync(preload, "process.on('exit', () => require('node:fs').writeFileSync(process.env.DIAL_TEST_MODULES, JSON.stringify({modules: process.moduleLoadList, handles: process._getActiveHandles().map((h) => h.constructor.name + ':' + h.fd)})));\n");
    const r = spawnSync(process.execPath, ['-r', preload, BIN, 'tls', 'init', '--out', join(home, 'out')], {
      env: {...process.env, DIAL_HOME: home, DIAL_TEST_MODULES: list}, stdio: ['ignore', openSync(join(home, 'stdout.txt'), 'w'), 'pipe'], timeout: 60_000,
    });
    assert.equal(r.status, 0, String(r.stderr));
    const seen = JSON.parse(readFileSync(list, 'utf8')) as {modules: string[]; handles: string[]};
    assert.ok(seen.modules.includes('NativeModule internal/fs/sync_write_stream'), 'the run wrote to stdout');
    assert.equal(seen.modules.includes('NativeModule tty'), false, "node:tty was loaded (chalk's supports-color probes the streams)");
    assert.equal(seen.handles.includes('Socket:2'), false, 'process.stderr was set up');
    // The same check sees it when stderr is used: a failing run.
    const bad = spawnSync(process.execPath, ['-r', preload, BIN, 'tls', 'init', '--out', join(home, 'out')], {env: {...process.env, DIAL_HOME: home, DIAL_TEST_MODULES: list}, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000});
    assert.equal(bad.status, 1, 'files exist: refusing to overwrite');
    assert.ok((JSON.parse(readFileSync(list, 'utf8')) as {handles: string[]}).handles.includes('Socket:2'));
  });
});

describe('dial sub on the fast path and under oclif', {skip: KCAT_MISSING}, () => {
  it('prints the same messages, notes and errors, without loading oclif', async (t) => {
    const home = tempHome(t);
    const k = await localKafka();
    t.after(() => k.close());
    const url = `kafka://${k.bootstrap}`;
    assert.equal((await kcat(['-b', k.bootstrap, '-P', '-t', 'fp', '-K', ':', '-H', 'h=1', '-X', 'acks=all'], 'a:one\nb:two\nc:three\n')).code, 0);
    const sorted = (r: RunResult) => ({...r, stdout: r.stdout.split('\n').sort().join('\n')});
    for (const args of [['--from-beginning'], ['--from-beginning', '--json'], ['--from-beginning', '-v', '-n', '2'], [], ['--partition', '7']]) {
      const fast = await runDial(['sub', 'fp', '--broker', url, ...args], {home});
      const oclif = await runDial(['sub', 'fp', '--broker', url, ...args], {home, env: {DIAL_FAST_PATH: '0'}});
      assert.deepEqual(stable(sorted(fast)), stable(sorted(oclif)), `dial sub ${args.join(' ')}`);
    }
    const env = {DIAL_BROKER: url};
    assert.equal((await both(home, ['sub', 'fp', '--from-beginning', '-n', '1'], undefined, env)).code, 0, 'DIAL_BROKER from the environment');
    // a broker that is not there: loadedModules blocks this process (and so the listener in it) while dial runs
    assertFastPath(['sub', 'fp', '--broker', 'kafka://127.0.0.1:1', '--from-beginning'], 'for dial sub');
  });
});
