// Bundles the CLI for start-up speed: every command (tsc output in
// dist/commands) and oclif's entry become esbuild entry points with shared,
// lazily loaded chunks, so `dial X` reads a handful of files instead of
// hundreds of modules. Child processes (daemon, demo instances) keep running
// the plain tsc output in dist/src.
import {build} from 'esbuild';
import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join, relative} from 'node:path';
import {pathToFileURL} from 'node:url';

// thrift stays in node_modules: bundled, its Buffer() calls would print DEP0005 (Node warns only outside node_modules).
// node-int64 with it: thrift checks 'instanceof Int64' against its own copy, so dial must use the same module.
export const EXTERNAL = ['better-sqlite3', 'typescript', 'ts-node', 'tsx', 'fsevents', '@oclif/plugin-*', 'thrift', 'node-int64'];

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
      let esModule;
      try {
        const mod = createRequire(resolved.path)(resolved.path);
        names = Object.keys(mod).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
        esModule = Boolean(mod.__esModule);
      } catch {
        return undefined;
      }
      return {path: args.path, namespace: 'cjs-facade', pluginData: {resolveDir: args.resolveDir, names, esModule}};
    });
    b.onLoad({filter: /.*/, namespace: 'cjs-facade'}, (args) => {
      const {resolveDir, names, esModule} = args.pluginData;
      const spec = JSON.stringify(args.path);
      // A module that sets __esModule (tsc output) has no default import in esbuild: its namespace stands for module.exports.
      const m = esModule ? `import * as m from ${spec};` : `import m from ${spec};`;
      const contents = `${m}\nexport default m;\nexport const {${names.join(', ')}} = m;\n`;
      return {contents, resolveDir, loader: 'js'};
    });
  },
};

const OPTIONS = {
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
};

export async function bundle(root) {
  const dist = join(root, 'dist');
  // Bundled code that names the global Headers gets dial's own class (src/util/headers.ts says why).
  // undici's cookie helpers read globalThis.Headers when they load (every registry command loads
  // them): define turns that read into the Headers in scope there (undici's own), never node's.
  const options = {...OPTIONS, inject: [join(dist, 'src', 'util', 'headers.js')], define: {'globalThis.Headers': 'Headers'}};
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
    ...options,
    entryPoints: [
      {in: main, out: 'main'},
      ...commands.map((c) => ({in: c, out: relative(dist, c).replace(/\.js$/, '')})),
      {in: join(dist, 'src', 'cli', 'hooks', 'command-not-found.js'), out: 'hooks/command-not-found'},
    ],
    outdir: out,
  });
  rmSync(main, {force: true});
  // The fast path (src/cli/fast.ts) is built as CommonJS files with code caches: dist/vendor/fast*.cjs (scripts/vendor.mjs).
  rmSync(join(dist, 'bundle-fast'), {recursive: true, force: true});
  return result;
}

/**
 * dist/fast-specs.json: for each command of the fast path (src/cli/fast.ts),
 * the file of dist/vendor that runs it, and its flags and arguments as the fast parser reads them, made from the
 * command's oclif definitions. The build fails if a definition is one the
 * fast parser cannot reproduce (src/cli/fast-spec.ts).
 */
export async function writeFastSpecs(root) {
  const dist = join(root, 'dist');
  const load = (...parts) => import(pathToFileURL(join(dist, ...parts)).href);
  const [{FAST_FILES, FAST_TRANSFORMS}, {fastSpecOf}] = await Promise.all([load('src', 'cli', 'fast.js'), load('src', 'cli', 'fast-spec.js')]);
  const specs = {};
  for (const [file, {commands}] of Object.entries(FAST_FILES)) {
    for (const id of Object.keys(commands)) {
      const {default: command} = await load('commands', `${id.split(' ').join('/')}.js`);
      // file: the fast-path file of dist/vendor that runs the command (scripts/vendor.mjs).
      specs[id] = {file, ...(await fastSpecOf(id, command, FAST_TRANSFORMS))};
    }
  }
  writeFileSync(join(dist, 'fast-specs.json'), JSON.stringify(specs, null, 1) + '\n');
}
