import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {ROOT, runDial, tempHome} from '../helpers/cli.js';

describe('the CLI bundle', () => {
  it('keeps the named exports of CommonJS packages imported dynamically', async (t) => {
    const dir = mkdtempSync(join(ROOT, 'dist', '.bundle-test-'));
    t.after(() => rmSync(dir, {recursive: true, force: true}));
    const entry = join(dir, 'entry.mjs');
    writeFileSync(entry, "const m = await import('undici');\nconsole.log(JSON.stringify([typeof m.request, typeof m.Agent, typeof m.default.request]));\n");
    const {build} = await import('esbuild');
    // @ts-expect-error -- a plain .mjs build script without type declarations
    const {commonjsNamedExports} = (await import('../../scripts/bundle.mjs')) as {commonjsNamedExports: unknown};
    await build({
      entryPoints: [entry], outdir: join(dir, 'out'), bundle: true, splitting: true, format: 'esm', platform: 'node',
      plugins: [commonjsNamedExports as never], logLevel: 'silent',
      banner: {js: "import {createRequire as __r} from 'node:module'; const require = __r(import.meta.url);"},
    });
    const out = execFileSync(process.execPath, [join(dir, 'out', 'entry.js')]).toString();
    assert.deepEqual(JSON.parse(out), ['function', 'function', 'function']);
  });
});

describe('the bundled CLI and its external CommonJS packages', () => {
  it('thrift and dial share one node-int64, so i64 fields encode (instanceof across copies fails)', async (t) => {
    const home = tempHome(t);
    const args = ['--codec', 'thrift-compact', '--schema', 'test/fixtures/codecs/sample.thrift', '--type', 'Sample'];
    const enc = await runDial(['codec', 'encode', ...args, '-d', '{"name":"n","big":"9007199254740993"}'], {home});
    assert.equal(enc.code, 0, enc.stderr);
    const dec = await runDial(['codec', 'decode', ...args, '-d', enc.stdout.trim(), '--json'], {home});
    assert.equal(dec.code, 0, dec.stderr);
    assert.deepEqual(dec.json(), {name: 'n', big: '9007199254740993'});
  });
});
