import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {BIN, ROOT} from '../helpers/cli.js';

/**
 * Chunks of the two bundles (oclif's, the fast path's) and the vendored
 * libraries (dist/vendor) that hold a package, found by esbuild's
 * "// node_modules/PKG/" source comments.
 */
const BUNDLES = ['bundle', 'vendor'];
function chunksHolding(pkg: string): Set<string> {
  return new Set(BUNDLES.flatMap((b) => {
    const dir = b === 'vendor' ? join(ROOT, 'dist', b) : join(ROOT, 'dist', b, 'chunks');
    return readdirSync(dir).filter((f) => f.endsWith('.js') || f.endsWith('.cjs')).filter((f) => readFileSync(join(dir, f), 'utf8').includes(`// node_modules/${pkg}/`)).map((f) => `${b}/${f}`);
  }));
}

/** What `dial ARGS` loaded, as the recorder wrote it: module URLs, one per line. */
function recordImports(args: string[], env: Record<string, string> = {}): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'dial-imports-'));
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

/** The bundle chunks and vendored files `dial ARGS` loaded, as "bundle/chunk-X.js" or "vendor/fast.cjs". */
function loadedChunks(args: string[], env: Record<string, string> = {}): string[] {
  return recordImports(args, env).map((u) => /\/dist\/(bundle\/chunks|vendor)\/([^/]+)$/.exec(u)).filter((m) => m !== null).map((m) => `${m[1].replace('/chunks', '')}/${m[2]}`);
}

describe('heavy modules load only where they are needed', () => {
  const heavy = ['undici', '@grpc/grpc-js', '@peculiar/x509', 'node-forge', 'prom-client'];
  const chunks = new Map(heavy.map((p) => [p, chunksHolding(p)]));

  // Commands that fail before they need the network, and a gRPC call by address (which needs no HTTP/1 client).
  const cases = [['cluster', 'status', '--json'], ['call', '127.0.0.1:1', 'helloworld.Greeter/SayHello'], ['services', '--bogus'], ['discover', 'greeter'], ['tls', 'inspect', '/nonexistent.pem'], ['lb', 'keys', '--strategy', 'maglev', '--backends', '3', '--keys', '100']];
  for (const args of cases) {
    it(`dial ${args.join(' ')}`, () => {
      const loaded = loadedChunks(args);
      assert.ok(loaded.length > 0, 'the import recorder saw the bundle');
      for (const [pkg, holding] of chunks) {
        const hit = loaded.filter((c) => holding.has(c));
        assert.deepEqual(hit, [], `${pkg} was loaded (chunks ${hit.join(', ')})`);
      }
    });
  }
});

describe("node's own fetch stack stays unloaded", () => {
  // Node's Headers, fetch etc. are lazy globals: touching one loads node's internal undici (~30 ms).
  // dial's Headers replaces the global in the bundles; a gRPC call and a registry query (npm undici) must not touch it.
  const registry = ['--registry', 'http://127.0.0.1:1'];
  for (const args of [['call', '127.0.0.1:1', 'helloworld.Greeter/SayHello'], ['discover', 'greeter', ...registry], ['services', '--json', ...registry], ['call', 'greeter', 'helloworld.Greeter/SayHello', ...registry]]) {
    it(`dial ${args.join(' ')}`, () => {
      const lines = recordImports(args);
      assert.ok(lines.some((l) => l.includes('/dist/bundle/') || l.includes('/dist/vendor/fast.cjs')), 'the import recorder saw the bundle');
      assert.ok(!lines.includes('node:internal/deps/undici/undici'), "node's fetch stack was loaded");
    });
  }
});

describe('the recorder sees what a command loads', () => {
  it("a process that touches the global Headers is seen loading node's fetch stack", () => {
    const dir = mkdtempSync(join(tmpdir(), 'dial-imports-'));
    try {
      const record = join(dir, 'imports.txt');
      spawnSync(process.execPath, ['--import', join(ROOT, 'test', 'helpers', 'record-imports.mjs'), '-e', 'new Headers()'], {env: {...process.env, DIAL_RECORD_IMPORTS: record}, timeout: 60_000});
      assert.ok(readFileSync(record, 'utf8').split('\n').includes('node:internal/deps/undici/undici'));
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('dial tls init and tls issue build certificates with the ASN.1 schema (vendor/asn1.cjs) but without @peculiar/x509 (src/tls/cert-builder.ts), on the fast path and under oclif; a CSR still loads it from dist/vendor', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dial-imports-out-'));
    try {
      const holding = chunksHolding('@peculiar/x509');
      assert.ok(holding.has('vendor/pki.cjs'));
      assert.ok(!holding.has('vendor/asn1.cjs'), 'asn1.cjs holds the schema without @peculiar/x509');
      const init = loadedChunks(['tls', 'init', '--out', join(dir, 'fast')]);
      assert.ok(init.includes('vendor/asn1.cjs'), `tls init built with vendor/asn1.cjs (loaded: ${init.join(', ')})`);
      assert.deepEqual(init.filter((c) => holding.has(c)), []);
      assert.deepEqual(loadedChunks(['tls', 'init', '--out', join(dir, 'oclif')], {DIAL_FAST_PATH: '0'}).filter((c) => holding.has(c)), []);
      assert.deepEqual(loadedChunks(['tls', 'issue', 'svc.test', '--ca', join(dir, 'fast', 'ca'), '--out', join(dir, 'leaf')]).filter((c) => holding.has(c)), []);
      spawnSync('/usr/bin/openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'r.key'), '-out', join(dir, 'r.csr'), '-subj', '/CN=req.test'], {timeout: 20_000});
      assert.deepEqual(loadedChunks(['tls', 'issue', 'req.test', '--ca', join(dir, 'fast', 'ca'), '--csr', join(dir, 'r.csr'), '--out', join(dir, 'leaf')]).filter((c) => holding.has(c)), ['vendor/pki.cjs']);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
