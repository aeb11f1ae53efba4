// dist/vendor: heavy CommonJS libraries that dial loads on demand, each as
// one file with a V8 code cache beside it (src/util/vendor.ts loads them).
// The cache is recorded by running real commands with DIAL_CODE_CACHE_WRITE=1:
// every function they compiled is in it, so the next run compiles nothing of
// the library. A failure here costs speed, not function: dial then imports
// the packages, so the build warns and goes on.
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {build} from 'esbuild';

const ENTRIES = {
  // reflect-metadata first: @peculiar/x509's dependency injection needs it in place.
  pki: "require('reflect-metadata');\nmodule.exports = {x509: require('@peculiar/x509'), asn1Schema: require('@peculiar/asn1-schema'), asn1X509: require('@peculiar/asn1-x509')};\n",
};

/** Commands whose compiled functions go into the cache, in order; each run adds to what the last one recorded. */
const TRAINING = [
  ['tls', 'init', '--out', '{tmp}/ecdsa'],
  ['tls', 'init', '--key', 'rsa-2048', '--out', '{tmp}/rsa'],
  ['tls', 'issue', 'svc.test', '--ca', '{tmp}/ecdsa/ca', '--both', '--dns', 'svc.test', '--ip', '127.0.0.2', '--uri', 'spiffe://dial.test/svc', '--email', 'ops@dial.test', '--out', '{tmp}/leaf'],
  ['tls', 'inspect', '{tmp}/leaf/svc.test-fullchain.pem'],
  ['tls', 'verify', '{tmp}/leaf/svc.test.pem', '--ca', '{tmp}/ecdsa/ca/ca.pem', '--host', 'svc.test'],
];

export async function buildVendor(root) {
  const out = join(root, 'dist', 'vendor');
  rmSync(out, {recursive: true, force: true});
  mkdirSync(out, {recursive: true});
  for (const [name, contents] of Object.entries(ENTRIES)) {
    await build({
      stdin: {contents, resolveDir: root, sourcefile: `vendor-${name}.cjs`, loader: 'js'},
      bundle: true, format: 'cjs', platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'warning',
      outfile: join(out, `${name}.cjs`),
    });
  }
  const tmp = mkdtempSync(join(tmpdir(), 'dial-vendor-'));
  try {
    const env = {...process.env, DIAL_HOME: join(tmp, 'home'), DIAL_CODE_CACHE_WRITE: '1', NO_COLOR: '1'};
    delete env.NODE_OPTIONS; // flags change V8's flag hash, and a cache made under other flags is rejected
    for (const args of TRAINING) {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'run.js'), ...args.map((a) => a.replace('{tmp}', tmp))], {env, encoding: 'utf8', timeout: 60_000});
      if (r.status !== 0) {
        process.stderr.write(`dial build: warning: recording the code cache failed at 'dial ${args.join(' ')}' (exit ${r.status}: ${(r.stderr || r.stdout || r.error?.message || '').trim()}); dial still works, only its TLS commands start slower\n`);
        for (const name of Object.keys(ENTRIES)) rmSync(join(out, `${name}.cjs.cache`), {force: true});
        break;
      }
    }
  } finally {
    rmSync(tmp, {recursive: true, force: true});
  }
  writeFileSync(join(out, 'README'), 'Built by scripts/vendor.mjs: bundled CommonJS libraries and their V8 code caches (see src/util/vendor.ts).\n');
}
