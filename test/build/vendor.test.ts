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
});
