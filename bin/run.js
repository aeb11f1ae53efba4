#!/usr/bin/env node
// dial's entry point. CommonJS (bin/package.json), because an ES module entry costs every
// command Node's ESM loader (~6 ms of CPU) before any of dial runs.
// Fast paths that skip loading oclif (start-up is most of a short command's time):
// - `--version` reads package.json;
// - help pages (`dial`, `dial --help`, `dial X --help`, `dial help X`) printed to a non-terminal come
//   from dist/help/*.txt, rendered at build time by oclif itself (scripts/help-cache.mjs) at the
//   width and without the colors oclif uses for a non-terminal, so the bytes are identical.
// - `dial call`, `dial discover`, `dial tls init` and `dial sub` run without loading oclif (src/cli/fast.ts)
//   when the fast parser accepts their arguments (dist/fast-specs.json, made from the oclif
//   definitions at build time); the same output, errors and exit codes. Anything else (help,
//   a typo, a bad value) goes to oclif. DIAL_FAST_PATH=0 turns it off. The fast path is a
//   CommonJS file with a V8 code cache, dist/vendor/fast.cjs (call, discover, sub) or fast-tls.cjs
//   (tls init), from src/cli/fast.ts (scripts/vendor.mjs), run by the
//   loader of src/util/vendor.ts (built as dist/vendor/loader.cjs); without them (a build that
//   could not make them) oclif runs the command.
// Everything else runs oclif from the bundle (dist/bundle, scripts/bundle.mjs).
'use strict';
const {readFileSync} = require('node:fs');
const {join} = require('node:path');

const dist = join(__dirname, '..', 'dist');
const argv = process.argv.slice(2);

(async () => {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === 'version')) {
    process.stdout.write(`${userAgent()}\n`);
  } else if (!cachedHelp(argv) && !(await fastPath(argv))) {
    const {execute} = await import('../dist/bundle/main.js');
    // The project's package.json, not bin/package.json (which only makes this folder CommonJS).
    await execute({dir: require('node:url').pathToFileURL(join(__dirname, '..', 'package.json')).href});
  }
})().catch((error) => {
  // As an uncaught error at the top level of an ES module: the stack on stderr, exit 1.
  process.exitCode = 1;
  console.error(error);
});

/** Runs a command of the fast path (dist/fast-specs.json), or returns false for oclif to run it. */
async function fastPath(args) {
  if (process.env.DIAL_FAST_PATH === '0') return false;
  let specs;
  try {
    specs = JSON.parse(readFileSync(join(dist, 'fast-specs.json'), 'utf8'));
  } catch {
    return false;
  }
  // Command ids have one or two words (`call`, `tls init`), each its own argument.
  const id = Object.keys(specs).find((k) => k.split(' ').every((w, i) => args[i] === w));
  if (id === undefined) return false;
  let fast;
  try {
    // Each command's own file (fast-specs.json says which: src/cli/fast.ts FAST_FILES), so that
    // `tls init` does not read the RPC code that `call` needs.
    fast = require(join(dist, 'vendor', 'loader.cjs')).loadVendored(specs[id].file ?? 'fast');
  } catch (error) {
    if (error.code !== 'MODULE_NOT_FOUND') throw error;
  }
  if (!fast) return false;
  return fast.exports.runFast(id, args.slice(id.split(' ').length), specs[id], packageJson().version);
}

function cachedHelp(args) {
  if (process.stdout.isTTY || process.env.OCLIF_COLUMNS) return false;
  let words = args;
  if (args[0] === 'help') words = args.slice(1);
  else if (args.length > 0) {
    if (args.at(-1) !== '--help') return false;
    words = args.slice(0, -1);
  }
  if (words.some((w) => !/^[a-z][a-z0-9-]*$/.test(w))) return false;
  try {
    const page = readFileSync(join(dist, 'help', `${words.join(' ') || '_root'}.txt`), 'utf8');
    process.stdout.write(page.replaceAll('{{USER_AGENT}}', userAgent()));
    return true;
  } catch {
    return false;
  }
}

/** The same string oclif prints for --version. */
function userAgent() {
  const pkg = packageJson();
  return `${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}`;
}

function packageJson() {
  return JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
}
