#!/usr/bin/env node
// Runs dial from the TypeScript sources (no build needed for commands/ and src/):
//   bin/dev.js cluster status
// Child processes (daemon, demo instances) still run from dist/, so build for those.
// CommonJS, as bin/run.js (bin/package.json); the ES modules come in through import().
'use strict';
const {readFileSync} = require('node:fs');
const {join} = require('node:path');

(async () => {
  const [{execute, settings}, {register}] = await Promise.all([import('@oclif/core'), import('tsx/esm/api')]);
  register();
  const root = join(__dirname, '..');
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  pjson.oclif.commands = './commands';
  pjson.oclif.hooks = {command_not_found: './src/cli/hooks/command-not-found.ts'};
  // tsx compiles the sources; oclif must load them as they are.
  settings.enableAutoTranspile = false;
  // A version that differs from the built manifest's makes oclif skip the manifest and find the
  // commands in ./commands; its warning about that mismatch is expected here and silenced.
  pjson.version = '0.0.0-dev';
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = (w, ...rest) => (String(w).startsWith('Mismatched version') ? undefined : emitWarning(w, ...rest));
  await execute({loadOptions: {root, pjson, ignoreManifest: true}});
})().catch((error) => {
  process.exitCode = 1;
  console.error(error);
});
