// Bundles the CLI for start-up speed: every command (tsc output in
// dist/commands) and oclif's entry become esbuild entry points with shared,
// lazily loaded chunks, so `dial X` reads a handful of files instead of
// hundreds of modules. Child processes (daemon, demo instances) keep running
// the plain tsc output in dist/src.
import {build} from 'esbuild';
import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join, relative} from 'node:path';

// thrift stays in node_modules: bundled, its Buffer() calls would print DEP0005 (Node warns only outside node_modules).
// node-int64 with it: thrift checks 'instanceof Int64' against its own copy, so dial must use the same module.
const EXTERNAL = ['better-sqlite3', 'typescript', 'ts-node', 'tsx', 'fsevents', '@oclif/plugin-*', 'thrift', 'node-int64'];

/**
 * esbuild turns `await import('some-commonjs-package')` into a chunk with only
 * a default export, so `const {request} = await import('undici')` works under
 * Node (which reads CommonJS export names) but not in the bundle. This plugin
 * gives such imports a small ESM facade whose named exports are the package's
 * export names, read at build time.
 */
function isCommonJs(file) {
  if (file.endsWith('.cjs')) return true;
  if (file.endsWith('.mjs')) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type !== 'module';
  }
  return true;
}

export const commonjsNamedExports = {
  name: 'commonjs-named-exports',
  setup(b) {
    b.onResolve({filter: /^[^./]/}, async (args) => {
      if (args.kind !== 'dynamic-import' || args.namespace === 'cjs-facade') return undefined;
      if (EXTERNAL.some((e) => (e.endsWith('*') ? args.path.startsWith(e.slice(0, -1)) : args.path === e || args.path.startsWith(`${e}/`)))) return undefined;
      const resolved = await b.resolve(args.path, {kind: 'import-statement', resolveDir: args.resolveDir});
      if (resolved.errors.length || !isCommonJs(resolved.path)) return undefined;
      let names;
      try {
        names = Object.keys(createRequire(resolved.path)(resolved.path)).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
      } catch {
        return undefined;
      }
      return {path: args.path, namespace: 'cjs-facade', pluginData: {resolveDir: args.resolveDir, names}};
    });
    b.onLoad({filter: /.*/, namespace: 'cjs-facade'}, (args) => {
      const {resolveDir, names} = args.pluginData;
      const spec = JSON.stringify(args.path);
      const contents = `import m from ${spec};\nexport default m;\nexport const {${names.join(', ')}} = m;\n`;
      return {contents, resolveDir, loader: 'js'};
    });
  },
};

export async function bundle(root) {
  const dist = join(root, 'dist');
  const out = join(dist, 'bundle');
  rmSync(out, {recursive: true, force: true});
  const commands = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.js')) commands.push(p);
    }
  };
  walk(join(dist, 'commands'));
  const main = join(dist, 'bundle-main.js');
  writeFileSync(main, "export {execute, run, flush, handle, settings} from '@oclif/core';\n");
  const result = await build({
    entryPoints: [
      {in: main, out: 'main'},
      ...commands.map((c) => ({in: c, out: relative(dist, c).replace(/\.js$/, '')})),
      {in: join(dist, 'src', 'cli', 'hooks', 'command-not-found.js'), out: 'hooks/command-not-found'},
    ],
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    external: EXTERNAL,
    plugins: [commonjsNamedExports],
    banner: {js: "import {createRequire as __dialCreateRequire} from 'node:module'; const require = __dialCreateRequire(import.meta.url);"},
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  rmSync(main, {force: true});
  return result;
}
