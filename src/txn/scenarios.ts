import type {RunFlags} from './run-request.js';

/** A canned run that teaches one thing about 2PC or 3PC. */
export interface Scenario {
  name: string;
  title: string;
  flags: Omit<RunFlags, 'timeoutMs' | 'maxTimeMs'> & {maxTimeMs?: number};
  /** Restart what crashed afterwards and show the recovery. */
  recover: boolean;
  /** What to look for, printed before the run. */
  before: string;
  /** What happened and why, printed after it. */
  after: string;
}

const base = {participants: 3, transfer: 'a->b:30'};

export const SCENARIOS: Scenario[] = [
  {
    name: 'happy-path',
    title: '2PC: everyone votes yes',
    flags: {...base, protocol: '2pc'},
    recover: false,
    before: 'Each participant forces PREPARED (▣) before it votes yes; the coordinator forces COMMIT before it tells anyone.',
    after: 'Two rounds of messages and three forces on the critical path: PREPARED at every participant (in parallel), COMMIT at the coordinator, COMMIT at every participant. The coordinator writes END without forcing it.',
  },
  {
    name: 'vote-no',
    title: '2PC: a participant votes no',
    flags: {...base, protocol: '2pc', voteNo: ['p2']},
    recover: false,
    before: 'p2 is told to vote no. One no is enough to abort.',
    after: 'Presumed abort: the coordinator neither forces ABORT nor waits for acknowledgements. A coordinator that finds no record of a transaction answers "abort", so losing the ABORT record costs nothing.',
  },
  {
    name: '2pc-blocking',
    title: '2PC blocks: the coordinator dies after deciding',
    flags: {...base, protocol: '2pc', crash: ['coordinator:after-decision'], maxTimeMs: 2600},
    recover: true,
    before: 'Everyone votes yes; the coordinator forces COMMIT and is SIGKILLed before it sends it. Watch the participants.',
    after: 'The blocking window of 2PC: the participants are READY (they promised to commit if told) and hold their locks; asking each other does not help, because nobody knows what the coordinator decided. Only its recovery, from its log, ends the wait: it finds COMMIT without END and sends COMMIT again.',
  },
  {
    name: '3pc-nonblocking',
    title: 'The same crash under 3PC: the participants terminate on their own',
    flags: {...base, protocol: '3pc', crash: ['coordinator:after-decision']},
    recover: true,
    before: 'The same crash as 2pc-blocking, under 3PC: between the votes and the decision, the coordinator first moves everyone to PRECOMMIT.',
    after: 'When the coordinator goes silent, the lowest-ranked participant becomes the new coordinator (termination protocol, term t): it collects the states, finds PRECOMMIT, and commits. Nobody waited for the dead coordinator; it learns the outcome when it comes back.',
  },
  {
    name: '3pc-partition',
    title: '3PC under a network partition: one side commits, the other aborts',
    flags: {...base, protocol: '3pc', partition: 'c,p1|p2,p3@c:partial-precommit', maxTimeMs: 4000},
    recover: false,
    before: 'The network splits into {c, p1} and {p2, p3} right after the coordinator sent PRECOMMIT to p1.',
    after: "3PC's known flaw: it assumes a silent process has crashed. The coordinator got p1's ACK and presumes p2 and p3 are down, so it commits. p2 and p3 presume the coordinator and p1 are down, find only READY states, and abort. Atomicity is gone: a was debited, b never credited, and the total is no longer 300 (see dial txn balances). 2PC would block instead (safe, not live); protocols that stay safe and live under partitions need a majority (Paxos Commit, Raft).",
  },
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
