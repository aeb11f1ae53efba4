import type {ChalkInstance} from 'chalk';
import type {Msg, Pid, TxnEvent} from '../../txn/index.js';

/** A message as an arrow label: PREPARE, VOTE yes, PRECOMMIT t5, UNCERTAIN(READY), ... */
export function msgLabel(m: Msg): string {
  switch (m.type) {
    case 'VOTE':
      return `VOTE ${m.vote}`;
    case 'PRECOMMIT':
    case 'STATE-REQ':
      return m.term ? `${m.type} t${m.term}` : m.type;
    case 'COMMIT':
    case 'ABORT':
      return m.term ? `${m.type} t${m.term}` : m.type;
    case 'ACK':
      return `ACK ${m.of === 'COMMIT' ? 'commit' : 'precommit'}`;
    case 'STATE':
      return `STATE ${m.state}`;
    case 'UNCERTAIN':
      return `UNCERTAIN (${m.state})`;
    case 'NACK':
      return `NACK t${m.promised}`;
    default:
      return m.type;
  }
}

/**
 * The swimlane timeline of `dial txn run`: one column per process, one row
 * per event; messages are arrows from the sender's column to the
 * receiver's (drawn when they arrive, or ending in ✗ when lost), and state
 * changes, log forces (▣ forced, □ buffered), decisions, timeouts, crashes
 * and recoveries are written in the process's column. Stateful (it knows
 * which processes are down), so it can render a run as it happens.
 */
export class Timeline {
  private readonly down = new Set<Pid>();
  private readonly width: number;

  constructor(private readonly procs: Pid[], private readonly c: ChalkInstance, private readonly titles: Record<Pid, string> = {}, columns = 100) {
    this.width = Math.max(14, Math.min(24, Math.floor((columns - 10) / procs.length)));
  }

  header(): string[] {
    const cells = this.procs.map((p) => (titles(this.titles, p)).slice(0, this.width - 1).padEnd(this.width));
    return [this.c.bold(`${'ms'.padStart(8)}  ${cells.join('').trimEnd()}`)];
  }

  /** The rows for a batch of events (in time order). */
  rows(events: TxnEvent[]): string[] {
    const out: string[] = [];
    for (const e of events) out.push(...this.row(e));
    return out;
  }

  private blank(): string[] {
    const line = Array<string>(this.procs.length * this.width).fill(' ');
    this.procs.forEach((p, i) => (line[i * this.width] = this.down.has(p) ? '┊' : '│'));
    return line;
  }

  private put(line: string[], at: number, text: string): void {
    for (let i = 0; i < text.length; i++) line[at + i] = text[i];
  }

  private finish(t: number, line: string[], color?: (s: string) => string, span?: [number, number]): string {
    const time = `${t.toFixed(1)}`.padStart(8);
    let text = line.join('').trimEnd();
    if (color && span) text = text.slice(0, span[0]) + color(text.slice(span[0], span[1])) + text.slice(span[1]);
    return `${this.c.dim(time)}  ${text}`;
  }

  private text(e: TxnEvent, text: string, color?: (s: string) => string): string {
    const line = this.blank();
    const at = this.procs.indexOf(e.proc) * this.width;
    while (line.length < at + text.length) line.push(' ');
    this.put(line, at, text);
    return this.finish(e.t, line, color, [at, at + text.length]);
  }

  private arrow(e: TxnEvent, from: Pid, to: Pid, label: string, lost?: string): string {
    const line = this.blank();
    const a = this.procs.indexOf(from);
    const b = this.procs.indexOf(to);
    if (a < 0 || b < 0 || a === b) return this.text(e, `${label} ${from}->${to}`);
    const right = b > a;
    const lo = Math.min(a, b) * this.width + 1;
    const hi = Math.max(a, b) * this.width - 1;
    for (let x = lo; x <= hi; x++) line[x] = '─';
    if (lost) line[right ? hi : lo] = '✗';
    else line[right ? hi : lo] = right ? '▶' : '◀';
    const room = hi - lo - 3;
    const l = label.length > room ? label.slice(0, Math.max(room, 1)) : label;
    const start = right ? lo + 1 : lo + 2;
    this.put(line, start, l);
    let s = this.finish(e.t, line);
    if (lost) s += this.c.red(`  ${lost}`);
    return s;
  }

  private row(e: TxnEvent): string[] {
    const c = this.c;
    switch (e.kind) {
      case 'send':
        return [];
      case 'recv':
        return [this.arrow(e, e.from, e.proc, msgLabel(e.msg) + (e.delayMs ? ` +${Math.round(e.delayMs)}ms` : ''))];
      case 'drop':
        return [this.arrow(e, e.proc, e.to, msgLabel(e.msg), `lost: ${e.reason === 'down' || e.reason === 'unreachable' ? `${e.to} is down` : e.reason}`)];
      case 'log': {
        const r = e.record;
        const what = r.type === 'PRECOMMIT' && r.term ? `PRECOMMIT t${r.term}` : r.type === 'PROMISE' ? `PROMISE t${r.term}` : r.type;
        return [e.force
          ? this.text(e, `▣ force ${what}${e.ms !== undefined ? ` ${e.ms < 1 ? e.ms.toFixed(2) : Math.round(e.ms)}ms` : ''}`, c.cyan)
          : this.text(e, `□ log ${what}`, c.dim)];
      }
      case 'state':
        return [this.text(e, `→ ${e.to}`, e.to === 'COMMIT' ? c.green : e.to === 'ABORT' ? c.red : c.bold)];
      case 'decide':
        return [this.text(e, e.outcome === 'commit' ? '✔ decided COMMIT' : '✘ decided ABORT', e.outcome === 'commit' ? c.green.bold : c.red.bold)];
      case 'timeout':
        return [this.text(e, `◷ timeout (${e.timer})`, c.yellow)];
      case 'crash':
        this.down.add(e.proc);
        return [this.text(e, e.point ? `✖ CRASH at ${e.point}` : `✖ ${e.detail ?? 'killed'}`, c.red.bold)];
      case 'start':
        this.down.delete(e.proc);
        return [this.text(e, `▸ ${e.detail ?? 'started'}`, c.bold)];
      case 'recover':
        this.down.delete(e.proc);
        return e.summary.map((s, i) => this.text(e, `${i ? '  ' : '↻ recovers: '}${s}`, c.magenta));
      case 'note':
        return [this.text(e, `» ${e.text}`, c.dim)];
    }
  }
}

function titles(t: Record<Pid, string>, p: Pid): string {
  return t[p] ?? (p === 'c' ? 'c coordinator' : p);
}
