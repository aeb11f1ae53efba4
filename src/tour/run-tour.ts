import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {DialError} from '../errors/index.js';
import {packageRoot} from '../runtime/entry-points.js';
import {clusterDown} from '../runtime/lifecycle.js';
import {TOUR_STEPS} from './steps/index.js';
import type {TourCommandResult, TourContext, TourEvent, TourStep} from './types.js';

export interface TourOptions {
  /** Run only steps whose id matches (the cluster step always runs). */
  only?: string[];
  signal?: AbortSignal;
  /** Receives everything the tour shows, in order. */
  onEvent: (e: TourEvent) => void;
}

export interface TourSummary {
  home: string;
  steps: {id: string; title: string; commands: TourCommandResult[]}[];
}

function runDial(args: string[], home: string, input?: string, program?: string): Promise<TourCommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(program ?? process.execPath, program ? args : [join(packageRoot(), 'bin', 'run.js'), ...args], {
      env: {...process.env, DIAL_HOME: home, DIAL_REGISTRY: '', FORCE_COLOR: undefined, NO_COLOR: '1', COLUMNS: '120'},
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({...(program ? {program} : {}), args, ...(input === undefined ? {} : {input}), exitCode: code ?? -1, stdout, stderr, ms: performance.now() - started}));
    child.stdin.end(input ?? '');
  });
}

/**
 * The guided tour: a temporary DIAL_HOME, a cluster on free ports, each
 * capability's step with real commands and output, and the cluster stopped
 * at the end whatever happens.
 */
export async function runTour(opts: TourOptions): Promise<TourSummary> {
  const home = mkdtempSync(join(tmpdir(), 'dial-tour-'));
  const summary: TourSummary = {home, steps: []};
  const steps: TourStep[] = TOUR_STEPS.filter((s, i) => i === 0 || s.id === 'finish' || !opts.only?.length || opts.only.includes(s.id));
  let current: TourCommandResult[] = [];
  const show = async (program: string | undefined, args: string[], o: {expectExit?: number; input?: string; note?: string; home?: string} = {}) => {
    if (opts.signal?.aborted) throw new DialError('INTERRUPTED', 'tour interrupted', {exitCode: 130});
    const result = await runDial(args, o.home ?? home, o.input, program);
    current.push(result);
    opts.onEvent({type: 'command', result, note: o.note});
    const expected = o.expectExit ?? 0;
    if (result.exitCode !== expected) {
      throw new DialError('TOUR_STEP_FAILED', `'${program ?? 'dial'} ${args.join(' ')}' exited ${result.exitCode}, expected ${expected}`, {
        hint: `its output is above; the tour's DIAL_HOME was ${home}`,
      });
    }
    return result;
  };
  const ctx: TourContext = {
    home,
    vars: {},
    say: (text) => opts.onEvent({type: 'say', text}),
    show: (args, o = {}) => show(undefined, args, o),
    showTool: (program, args, o = {}) => show(program, args, o),
    json: async <T>(args: string[], o: {home?: string} = {}) => {
      const r = await runDial([...args, '--json'], o.home ?? home);
      try {
        return JSON.parse(r.stdout) as T;
      } catch {
        throw new DialError('TOUR_STEP_FAILED', `'dial ${args.join(' ')} --json' did not print JSON (exit ${r.exitCode}): ${r.stderr.trim()}`);
      }
    },
  };
  let ok = false;
  try {
    for (const [index, step] of steps.entries()) {
      current = [];
      summary.steps.push({id: step.id, title: step.title, commands: current});
      opts.onEvent({type: 'step', index, total: steps.length, step});
      await step.run(ctx);
    }
    ok = true;
    return summary;
  } finally {
    await clusterDown(home, 5_000).catch(() => undefined);
    rmSync(home, {recursive: true, force: true});
    opts.onEvent({type: 'done', ok});
  }
}
