import {describeFaults, hasFaults, type InstanceView} from '../../runtime/instance-control/types.js';
import type {Output} from '../output.js';

function state(out: Output, i: InstanceView): string {
  const c = out.color;
  if (i.state === 'ready') return c.green(i.state);
  if (i.state === 'exited') return c.red(`exited (${i.signal ?? i.exitCode})`);
  return i.state;
}

/** `dial instance list`: process state, health and injected faults of every instance. */
export function renderInstances(out: Output, list: InstanceView[]): string {
  if (list.length === 0) return 'no instances (start some with dial cluster up --instances N)';
  return out.table(
    ['INSTANCE', 'KIND', 'PID', 'PORT', 'STATE', 'HEALTH', 'FAULTS'],
    list.map((i) => [
      i.id, i.kind, i.pid ?? '-', i.port ?? '-', state(out, i), i.health ? out.health(i.health) : '-',
      hasFaults(i.faults) ? out.color.yellow(describeFaults(i.faults)) : 'none',
    ]),
  );
}

/** One line after a control action: "greeter-grpc-2: faults +200ms (ready, pid 123, port 4567)". */
export function renderInstanceChange(out: Output, action: string, i: InstanceView): string {
  const where = i.state === 'exited' ? state(out, i) : `${state(out, i)}, pid ${i.pid}, port ${i.port ?? '-'}${i.health ? `, ${out.health(i.health)}` : ''}`;
  return `${out.color.bold(i.id)} ${action}; faults: ${describeFaults(i.faults)} (${where})`;
}
