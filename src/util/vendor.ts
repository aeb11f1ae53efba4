import {createHash} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join, sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Script} from 'node:vm';

/**
 * dist/vendor holds code that short commands load, each as one CommonJS
 * file with a V8 code cache beside it (scripts/vendor.mjs): the fast path of
 * bin/run.js (fast.cjs: dial call, discover, tls init), and heavy libraries
 * loaded on demand (pki.cjs: @peculiar/x509 and its ASN.1 stack; undici,
 * @grpc/grpc-js, soap ...). Node 20 has no compile cache for modules, but
 * vm.Script takes one: with it, the code runs without being compiled again,
 * which halves what loading it costs. This file is the one loader of them all.
 *
 * The cache belongs to the node binary and V8 flags that made it; when they
 * differ, V8 rejects it and the file is compiled as usual. When the file is
 * missing (a build without it), the caller imports the package instead.
 *
 * The cache file starts with the SHA-256 of the rest: V8 checks that a cache
 * fits its version and flags, but not (in release builds) that its bytes are
 * intact, and a damaged cache crashes the process.
 */
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_TAIL = '\n})';

/** Set by the build (scripts/vendor.mjs) while it runs dial to record which functions a command compiles. */
export const CODE_CACHE_WRITE_ENV = 'DIAL_CODE_CACHE_WRITE';

/** dist/vendor, found from this module's place in dist (tsc output or a bundle chunk). */
function vendorDir(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  const at = here.lastIndexOf(`${sep}dist${sep}`);
  return at < 0 ? undefined : join(here.slice(0, at), 'dist', 'vendor');
}

/** A vendored library: its exports, and what became of its code cache. */
export interface Vendored<T> {
  exports: T;
  file: string;
  /** used: V8 took the cache; rejected: it was made by another node or other V8 flags; none: there is no cache file, or it is damaged. */
  cache: 'used' | 'rejected' | 'none';
}

/** Each file runs once per process, as a module does: the same exports for every caller. */
const loaded = new Map<string, Vendored<unknown>>();

/** dist/vendor/NAME.cjs, run with its code cache (once per process); undefined when the file is not there. */
export function loadVendored<T>(name: string): Vendored<T> | undefined {
  const done = loaded.get(name);
  if (done) return done as Vendored<T>;
  const dir = vendorDir();
  if (!dir) return undefined;
  const file = join(dir, `${name}.cjs`);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const cachedData = readCache(`${file}.cache`);
  const script = new Script(WRAP_HEAD + source + WRAP_TAIL, {filename: file, cachedData});
  const module = {exports: {} as unknown};
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  if (process.env[CODE_CACHE_WRITE_ENV] === '1') {
    // At exit, every function the command ran has been compiled: all of them go into the cache.
    process.once('exit', () => {
      const data = script.createCachedData();
      writeFileSync(`${file}.cache`, Buffer.concat([sha256(data), data]));
    });
  }
  const result = {exports: module.exports as T, file, cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used'} as const;
  loaded.set(name, result);
  return result;
}

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** The V8 cache in FILE when its checksum holds; undefined when it is missing or damaged. */
function readCache(file: string): Buffer | undefined {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch {
    return undefined;
  }
  const data = raw.subarray(32);
  return raw.length > 32 && sha256(data).equals(raw.subarray(0, 32)) ? data : undefined;
}

/** The exports of dist/vendor/NAME.cjs (see loadVendored); undefined when the file is not there. */
export function requireVendored<T>(name: string): T | undefined {
  return loadVendored<T>(name)?.exports;
}
