import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {ROOT, runDial, tempHome} from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string};

describe('the dial entry point', () => {
  it('--version prints name/version platform node', async (t) => {
    const r = await runDial(['--version'], {home: tempHome(t)});
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `dial/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`);
  });

  it('help pages from the build-time cache are byte-identical to what oclif renders live', async (t) => {
    const home = tempHome(t);
    for (const args of [['--help'], [], ['cluster', '--help'], ['cluster', 'up', '--help'], ['help', 'call'], ['call', '--help']]) {
      const cached = await runDial(args, {home});
      // OCLIF_COLUMNS bypasses the cache; 80 is the width oclif uses for a non-terminal.
      const live = await runDial(args, {home, env: {OCLIF_COLUMNS: '80'}});
      assert.equal(cached.code, 0, `dial ${args.join(' ')}: ${cached.stderr}`);
      assert.equal(cached.stdout, live.stdout, `dial ${args.join(' ')}`);
    }
    const root = await runDial(['--help'], {home});
    for (const cmd of ['call', 'cluster', 'discover', 'services', 'tour']) assert.match(root.stdout, new RegExp(`^  ${cmd} `, 'm'));
    assert.match(root.stdout, new RegExp(`dial/${pkg.version.replace(/\./g, '\\.')} `));
  });

  it('every command has a description and examples', async (t) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {summary?: string; description?: string; examples?: unknown[]}>};
    const ids = Object.keys(manifest.commands);
    assert.ok(ids.length >= 8, `manifest lists ${ids.length} commands`);
    for (const id of ids) {
      const c = manifest.commands[id];
      assert.ok(c.summary || c.description, `${id} has no description`);
      assert.ok((c.examples ?? []).length > 0, `${id} has no examples`);
    }
    t.diagnostic(`${ids.length} commands checked`);
  });

  it('an unknown command or flag is a usage error (exit 2) that says what to do', async (t) => {
    const home = tempHome(t);
    const cmd = await runDial(['bogus'], {home});
    assert.equal(cmd.code, 2);
    assert.match(cmd.stderr, /unknown command 'bogus'/);
    assert.match(cmd.stderr, /dial --help/);
    const typo = await runDial(['servces', '--json'], {home});
    assert.equal(typo.code, 2);
    assert.match(typo.json<{error: {message: string}}>().error.message, /did you mean 'services'/);
    const withArgs = await runDial(['discovr', 'greeter'], {home});
    assert.match(withArgs.stderr, /did you mean 'discover'/);
    const flag = await runDial(['services', '--bogus'], {home});
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /Nonexistent flag: --bogus/);
    const json = await runDial(['services', '--bogus', '--json'], {home});
    assert.equal(json.code, 2);
    assert.equal(json.json<{error: {code: string}}>().error.code, 'USAGE');
  });

  it('autocomplete (oclif plugin) prints the shell setup', async (t) => {
    const home = tempHome(t);
    const r = await runDial(['autocomplete', 'script', 'bash'], {home, env: {XDG_CACHE_HOME: home, HOME: home}});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /DIAL_AC_BASH_SETUP_PATH/);
  });
});
