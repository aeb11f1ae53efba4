#!/usr/bin/env node
// Builds dist/ (tsc), copies assets, and writes the oclif manifest.
// --if-stale: skip when dist is newer than every source file.
import {execFileSync} from 'node:child_process';
import {existsSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.build-stamp');
const sources = ['commands', 'src', 'proto', 'package.json', 'tsconfig.json', 'scripts/build.mjs', 'scripts/bundle.mjs', 'scripts/vendor.mjs'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of readdirSync(path)) max = Math.max(max, newest(join(path, e)));
  return max;
}

if (process.argv.includes('--if-stale') && existsSync(stamp)) {
  const built = statSync(stamp).mtimeMs;
  if (sources.every((s) => newest(join(root, s)) <= built)) process.exit(0);
}

const run = (cmd, args) => execFileSync(cmd, args, {cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: '1'}});
const bin = (name) => join(root, 'node_modules', '.bin', name);

if (!existsSync(bin('tsc'))) {
  console.error('dial build: dev dependencies are missing; run `npm install` first');
  process.exit(1);
}
process.stderr.write('dial: building (tsc) ...\n');
run(bin('tsc'), ['-p', 'tsconfig.json']);
const {bundle, writeFastSpecs} = await import('./bundle.mjs');
await bundle(root);
await writeFastSpecs(root);
const {buildVendor} = await import('./vendor.mjs');
await buildVendor(root);
run(bin('oclif'), ['manifest']);
const {renderHelpCache} = await import('./help-cache.mjs');
await renderHelpCache(root);
writeFileSync(stamp, new Date().toISOString() + '\n');
