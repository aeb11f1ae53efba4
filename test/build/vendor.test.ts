import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {describe, it} from 'node:test';
import {pathToFileURL} from 'node:url';
import {importPki} from '../../src/tls/x509.js';
import {ROOT} from '../helpers/cli.js';

const VENDOR_JS = join(ROOT, 'dist', 'src', 'util', 'vendor.js');

/** Runs loadVendored('pki') of a built vendor.js in a fresh node (with extra node flags), and reports what it saw. */
function probe(vendorJs: string, nodeArgs: string[] = []): {cache?: string; loaded: boolean; generator?: string} {
  const code = `const {loadVendored} = await import(${JSON.stringify(pathToFileURL(vendorJs).href)});
const v = loadVendored('pki');
console.log(JSON.stringify(v ? {cache: v.cache, loaded: true, generator: typeof v.exports.x509.X509CertificateGenerator.create} : {loaded: false}));`;
  const r = spawnSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', code], {encoding: 'utf8', timeout: 60_000});
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as {cache?: string; loaded: boolean; generator?: string};
}

/** vendor.js copied into a temporary dist (with dist/vendor too when `withVendor`); runs `fn` with the copy's path. */
function withLoaderCopy(withVendor: boolean, fn: (vendorJs: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'dial-vendor-'));
  try {
    const copy = join(dir, 'dist', 'src', 'util', 'vendor.js');
    mkdirSync(dirname(copy), {recursive: true});
    cpSync(VENDOR_JS, copy);
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    if (withVendor) cpSync(join(ROOT, 'dist', 'vendor'), join(dir, 'dist', 'vendor'), {recursive: true});
    fn(copy);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

describe('vendored libraries (dist/vendor) with a V8 code cache', () => {
  it('the build makes pki.cjs and a code cache that this node accepts', () => {
    assert.deepEqual(probe(VENDOR_JS), {cache: 'used', loaded: true, generator: 'function'});
  });

  it('a cache made under other V8 flags is rejected, and the library still loads', () => {
    assert.deepEqual(probe(VENDOR_JS, ['--no-opt']), {cache: 'rejected', loaded: true, generator: 'function'});
  });

  it('without dist/vendor the loader says so (dial then imports the packages)', () => {
    withLoaderCopy(false, (copy) => assert.deepEqual(probe(copy), {loaded: false}));
  });

  it('a damaged cache is left unused (V8 would crash on it), and the library still loads', () => {
    withLoaderCopy(true, (copy) => {
      assert.equal(probe(copy).cache, 'used', 'the copy works before it is damaged');
      const cache = join(dirname(copy), '..', '..', 'vendor', 'pki.cjs.cache');
      const bytes = readFileSync(cache);
      for (let i = 0; i < 64; i++) bytes[(bytes.length >> 1) + i] ^= 0x5a;
      writeFileSync(cache, bytes);
      assert.deepEqual(probe(copy), {cache: 'none', loaded: true, generator: 'function'});
      writeFileSync(cache, bytes.subarray(0, 20));
      assert.deepEqual(probe(copy), {cache: 'none', loaded: true, generator: 'function'});
    });
  });

  it('the vendored bundle exports what importing the packages gives', async () => {
    const {loadVendored} = (await import(pathToFileURL(VENDOR_JS).href)) as typeof import('../../src/util/vendor.js');
    const vendored = loadVendored<Record<string, object>>('pki')!.exports;
    const imported = (await importPki()) as unknown as Record<string, object>;
    for (const lib of ['x509', 'asn1Schema', 'asn1X509']) {
      const names = (o: object) => Object.keys(o).filter((k) => k !== 'default').sort();
      assert.deepEqual(names(vendored[lib]), names(imported[lib]), lib);
    }
  });

  it('the fast path and the islands it loads are built with caches this node accepts, and export what the packages do', () => {
    const code = `const {loadVendored} = require(${JSON.stringify(join(ROOT, 'dist', 'vendor', 'loader.cjs'))});
const fast = loadVendored('fast');
const undici = loadVendored('undici');
const grpc = loadVendored('grpc');
console.log(JSON.stringify({fast: fast.cache, runFast: typeof fast.exports.runFast, undici: undici.cache, request: typeof undici.exports.request,
  grpcNames: Object.keys(grpc.exports).sort().join(), grpcPackage: Object.keys(require('@grpc/grpc-js')).sort().join(), again: loadVendored('fast') === fast}));`;
    const r = spawnSync(process.execPath, ['-e', code], {encoding: 'utf8', timeout: 60_000, cwd: ROOT});
    assert.equal(r.status, 0, r.stderr);
    const v = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual([v.fast, v.runFast, v.undici, v.request, v.again], ['used', 'function', 'used', 'function', true]);
    assert.equal(v.grpcNames, v.grpcPackage);
  });
});

describe('start-up machinery is not bypassed', () => {
  /** Node's ESM loader modules that `node ARGS` loaded (internal/modules/esm/...). */
  const esmModules = (args: string[], env: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'dial-esm-'));
    try {
      const preload = join(dir, 'esm-list.cjs');
      writeFileSync(preload, "process.on('exit', () => process.stderr.write('ESM:' + process.moduleLoadList.filter((m) => m.includes('/esm/')).join() + '\\n'));\n");
      const r = spawnSync(process.execPath, ['--require', preload, ...args], {encoding: 'utf8', timeout: 60_000, env: {...process.env, DIAL_HOME: join(dir, 'home'), ...env}});
      return (/ESM:(.*)/.exec(r.stderr)?.[1] ?? '').split(',');
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  };
  const BIN_JS = join(ROOT, 'bin', 'run.js');
  const call = [BIN_JS, 'call', '127.0.0.1:1', 'helloworld.Greeter/SayHello'];

  it('bin/run.js is CommonJS and the fast path one CommonJS file: no ES module loads for --version, help or a call', () => {
    for (const args of [[BIN_JS, '--version'], [BIN_JS, 'call', '--help'], call]) {
      assert.equal(esmModules(args).includes('NativeModule internal/modules/esm/module_job'), false, `an ES module loaded for dial ${args.slice(1).join(' ')}`);
    }
    // The check can fail: oclif's bundle is ES modules.
    assert.equal(esmModules(call, {DIAL_FAST_PATH: '0'}).includes('NativeModule internal/modules/esm/module_job'), true);
  });
});
