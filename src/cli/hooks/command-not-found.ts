import type {Hook} from '@oclif/core';
import {Output} from '../output.js';
import {editDistance, suggest} from '../../util/suggest.js';

/**
 * oclif's command_not_found hook: `dial servces` says what was not found,
 * suggests the closest commands, and exits 2 (a usage error) like every
 * other bad invocation.
 */
const hook: Hook.CommandNotFound = async function (opts) {
  const typed = opts.id.replaceAll(':', ' ');
  const ids = opts.config.commandIDs.map((id) => id.replaceAll(':', ' '));
  // oclif cannot tell a mistyped command from its arguments: try the longest word prefix that has close matches.
  const words = typed.split(' ');
  let close: string[] = [];
  for (let k = words.length; k > 0 && close.length === 0; k--) {
    const prefix = words.slice(0, k).join(' ');
    close = suggest(prefix, ids).filter((c) => editDistance(prefix, c) <= Math.max(2, Math.floor(prefix.length / 4)));
  }
  const json = (opts.argv ?? []).includes('--json');
  const message = `unknown command '${typed}'${close.length ? ` (did you mean ${close.map((c) => `'${c}'`).join(' or ')}?)` : ''}`;
  const hint = `'${opts.config.bin} --help' lists every command`;
  if (json) process.stdout.write(JSON.stringify({error: {code: 'USAGE', message, hint, exitCode: 2}}, null, 2) + '\n');
  const out = new Output();
  out.note(`${out.errColor.red('error:')} ${message}`);
  out.note(`${out.errColor.dim('hint:')}  ${hint}`);
  process.exit(2);
};

export default hook;
