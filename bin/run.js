#!/usr/bin/env node
// dial's entry point. `--version` is answered without loading oclif, so
// scripts that probe the version stay fast; everything else goes to oclif.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
  const {readFileSync} = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`dial/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  const {execute} = await import('@oclif/core');
  await execute({dir: import.meta.url});
}
