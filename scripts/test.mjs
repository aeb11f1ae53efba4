#!/usr/bin/env node
// `npm test`: build (when stale), type-check tests, lint, then run every
// test file with node's test runner. Fails when no test file is found, since
// `node --test` with an empty list passes silently.
import {execFileSync, spawnSync} from 'node:child_process';
import {readdirSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const step = (title, cmd, args) => {
  process.stderr.write(`\n== ${title}\n`);
  execFileSync(cmd, args, {cwd: root, stdio: ['ignore', 'inherit', 'inherit']});
};

function findTests(dir) {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (e.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out.sort();
}

const filters = process.argv.slice(2);
try {
  step('build', process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale']);
  if (filters.length === 0) {
    step('type-check (strict, tests included)', bin('tsc'), ['-p', 'tsconfig.test.json']);
    step('lint', bin('eslint'), ['.']);
  }
} catch {
  process.exit(1);
}

let files = findTests(join(root, 'test'));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error(`no test files found under test/${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  process.exit(1);
}
process.stderr.write(`\n== tests (${files.length} files)\n`);
const r = spawnSync(process.execPath, [
  '--import', 'tsx', '--test', '--test-concurrency=4', '--test-timeout=480000', ...files,
], {cwd: root, stdio: 'inherit', env: {...process.env, DIAL_TEST: '1', NO_COLOR: '1'}});
process.exit(r.status ?? 1);
