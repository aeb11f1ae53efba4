import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {ROOT} from '../helpers/cli.js';

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
