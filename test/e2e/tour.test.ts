import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {TOUR_STEPS} from '../../src/tour/steps/index.js';
import {runDial, tempHome} from '../helpers/cli.js';

/** Pids of live processes whose environment names a DIAL_HOME under DIR (Linux /proc). */
function processesUnder(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (env.split('\0').some((kv) => kv.startsWith(`DIAL_HOME=${dir}`))) found.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

describe('dial tour: the main job, as a newcomer runs it', () => {
  it('walks through every step with real commands and leaves nothing running', {timeout: 600_000}, async (t) => {
    // The tour makes its own DIAL_HOME under TMPDIR; a private TMPDIR lets the test find what it left.
    const tmp = mkdtempSync(join(tmpdir(), 'dial-tour-test-'));
    t.after(() => rmSync(tmp, {recursive: true, force: true}));
    const r = await runDial(['tour'], {home: tempHome(t), env: {TMPDIR: tmp}, timeoutMs: 540_000});
    assert.equal(r.code, 0, `tour failed:\n${r.stdout.slice(-4000)}\n${r.stderr}`);
    for (const [i, step] of TOUR_STEPS.entries()) {
      assert.ok(r.stdout.includes(`${i + 1}/${TOUR_STEPS.length}  ${step.title}`), `step ${step.id} shown`);
    }
    assert.match(r.stdout, /Tour complete; nothing is left running\./);
    // Real output, not just headings: a call answered, and every command line is followed by its exit status.
    assert.match(r.stdout, /"message": "Hello, /);
    assert.ok((r.stdout.match(/^\$ dial /gm) ?? []).length >= 30, 'at least 30 commands shown');
    if (process.platform === 'linux') assert.deepEqual(processesUnder(tmp), [], 'no process of the tour is left');
    assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith('dial-tour-')), [], 'the tour removed its DIAL_HOME');
  });

  it('rejects an unknown step with the list of steps', async (t) => {
    const r = await runDial(['tour', '--step', 'nope'], {home: tempHome(t)});
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cluster.*discovery.*call/s);
  });
});
