import type {KeyDistribution, KeysReport} from '../../lb/keys.js';
import type {Output} from '../output.js';
import {bars, pct} from './charts.js';

function dist(d: KeyDistribution, title: string, b: (s: string) => string): string {
  return [
    b(title),
    bars(d.backends.map((x) => ({label: `${x.id}${x.weight !== 1 ? ` (w=${x.weight})` : ''}`, value: x.keys, text: `${x.keys}  ${pct(x.share)}`}))),
    `max/mean ${d.maxOverMean.toFixed(3)}, coefficient of variation ${d.cv.toFixed(3)}`,
  ].join('\n');
}

/** The human view of `dial lb keys`. */
export function renderKeys(out: Output, r: KeysReport): string {
  const b = (s: string) => out.color.bold(s);
  const parts = [dist(r.before, `${r.keys} keys over ${r.before.backends.length} backends with ${r.strategy}`, b)];
  const c = r.change;
  if (c) {
    const verb = c.kind === 'add' ? 'adding' : 'removing';
    parts.push('', dist(c.after, `after ${verb} ${c.backends.join(', ')}`, b), '',
      `${verb} ${c.backends.join(', ')} moved ${b(`${c.moved} keys (${pct(c.movedFraction)})`)}; ${c.kind === 'add' ? `an even split moves ${pct(c.minimalFraction)} (the new backends' fair share)` : `the minimum is ${pct(c.minimalFraction)} (the keys the removed backends had)`}`);
  }
  return parts.join('\n');
}
