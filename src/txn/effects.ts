import type {Effect, LogRecord, Msg, Outcome, Pid} from './types.js';

/** Collects the effects of one machine step, in the order the host must carry them out. */
export class Fx {
  readonly list: Effect[] = [];

  log(record: LogRecord, force: boolean): this {
    this.list.push({kind: 'log', record, force});
    return this;
  }

  send(to: Pid, msg: Msg): this {
    this.list.push({kind: 'send', to, msg});
    return this;
  }

  /** Sends to each in turn; after the first send, the crash point `partial` (if any, and if more follow). */
  sendAll(to: Pid[], msg: (to: Pid) => Msg, partial?: string): this {
    to.forEach((p, i) => {
      this.send(p, msg(p));
      if (partial && i === 0 && to.length > 1) this.point(partial);
    });
    return this;
  }

  timer(txn: string, timer: string, ms: number): this {
    this.list.push({kind: 'timer', txn, timer, ms});
    return this;
  }

  cancel(txn: string, timer: string): this {
    this.list.push({kind: 'cancel', txn, timer});
    return this;
  }

  point(name: string): this {
    this.list.push({kind: 'point', name});
    return this;
  }

  state(txn: string, from: string, to: string): this {
    if (from !== to) this.list.push({kind: 'state', txn, from, to});
    return this;
  }

  decide(txn: string, outcome: Outcome): this {
    this.list.push({kind: 'decide', txn, outcome});
    return this;
  }

  note(text: string, txn?: string): this {
    this.list.push({kind: 'note', text, ...(txn ? {txn} : {})});
    return this;
  }
}

/** A decision as a message. */
export function decisionMsg(outcome: Outcome, txn: string, term = 0): Msg {
  return outcome === 'commit' ? {type: 'COMMIT', txn, term} : {type: 'ABORT', txn, term};
}
