import {usageError} from '../errors/index.js';
import {COORDINATOR} from './bank.js';
import type {Pid} from './types.js';

export interface CrashPointInfo {
  role: 'coordinator' | 'participant';
  name: string;
  protocols: ('2pc' | '3pc')[];
  text: string;
}

/** Every named crash point, as `--crash WHO:POINT` takes it (and `dial txn run --help` lists). */
export const CRASH_POINTS: CrashPointInfo[] = [
  {role: 'coordinator', name: 'before-prepare', protocols: ['2pc', '3pc'], text: 'before any PREPARE is sent'},
  {role: 'coordinator', name: 'partial-prepare', protocols: ['2pc', '3pc'], text: 'PREPARE sent to the first participant only'},
  {role: 'coordinator', name: 'after-votes', protocols: ['2pc', '3pc'], text: 'all voted yes; decision (3PC: PRECOMMIT) not durable'},
  {role: 'coordinator', name: 'partial-precommit', protocols: ['3pc'], text: 'PRECOMMIT sent to the first participant only'},
  {role: 'coordinator', name: 'after-decision', protocols: ['2pc', '3pc'], text: 'decision durable, nothing sent yet'},
  {role: 'coordinator', name: 'partial-decision', protocols: ['2pc', '3pc'], text: 'decision sent to the first participant only'},
  {role: 'participant', name: 'before-prepared', protocols: ['2pc', '3pc'], text: 'will vote yes; PREPARED not yet durable'},
  {role: 'participant', name: 'after-prepared', protocols: ['2pc', '3pc'], text: 'PREPARED durable, vote not sent'},
  {role: 'participant', name: 'after-vote', protocols: ['2pc', '3pc'], text: 'its yes vote sent'},
  {role: 'participant', name: 'after-precommit', protocols: ['3pc'], text: 'PRECOMMIT durable, ACK not sent'},
  {role: 'participant', name: 'before-decision-durable', protocols: ['2pc', '3pc'], text: 'decision arrived, not yet durable'},
];

export interface CrashSpec {
  proc: Pid;
  point: string;
}

/** Parses WHO:POINT (WHO = coordinator, c, p1, p2, ...). */
export function parseCrash(text: string, participants: Pid[]): CrashSpec {
  const m = /^([a-z0-9]+):([a-z-]+)$/.exec(text.trim());
  if (!m) throw usageError(`--crash: '${text}' is not WHO:POINT`, "write it like 'coordinator:after-votes' or 'p2:after-vote'; see 'dial txn run --help'");
  const who = m[1] === 'coordinator' ? COORDINATOR : m[1];
  if (who !== COORDINATOR && !participants.includes(who)) {
    throw usageError(`--crash: no process '${m[1]}'`, `the processes are coordinator (c) and ${participants.join(', ')}`);
  }
  const role = who === COORDINATOR ? 'coordinator' : 'participant';
  const point = CRASH_POINTS.find((p) => p.role === role && p.name === m[2]);
  if (!point) {
    const names = CRASH_POINTS.filter((p) => p.role === role).map((p) => p.name);
    throw usageError(`--crash: '${m[2]}' is not a ${role} crash point`, `${role} points: ${names.join(', ')}`);
  }
  return {proc: who, point: point.name};
}

/** The --help text listing the crash points (one line each, under 80 columns). */
export function crashPointsHelp(): string {
  const name = (p: CrashPointInfo) => `${p.role === 'coordinator' ? 'coordinator' : 'pN'}:${p.name}`;
  const w = Math.max(...CRASH_POINTS.map((p) => name(p).length));
  return ['Crash points, --crash WHO:POINT (WHO: coordinator or p1, p2, ...):', ...CRASH_POINTS.map((p) => `${name(p).padEnd(w)}  ${p.protocols.length === 1 ? '(3PC) ' : ''}${p.text}`)].join('\n');
}
