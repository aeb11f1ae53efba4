// Bundles the CLI for start-up speed: every command (tsc output in
// dist/commands) and oclif's entry become esbuild entry points with shared,
// lazily loaded chunks, so `dial X` reads a handful of files instead of
// hundreds of modules. Child processes (daemon, demo instances) keep running
// the plain tsc output in dist/src.
import {build} from 'esbuild';
import {readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';

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
    external: ['better-sqlite3', 'typescript', 'ts-node', 'tsx', 'fsevents', '@oclif/plugin-*'],
    banner: {js: "import {createRequire as __dialCreateRequire} from 'node:module'; const require = __dialCreateRequire(import.meta.url);"},
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  rmSync(main, {force: true});
  return result;
}
