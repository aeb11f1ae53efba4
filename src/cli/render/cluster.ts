import type {ClusterStatus} from '../../runtime/index.js';
import type {Output} from '../output.js';

/** The human view of `dial cluster status` / `up`. */
export function renderClusterStatus(out: Output, s: ClusterStatus): string {
  const c = out.color;
  if (!s.running) {
    return [
      `${c.bold('cluster')}  ${c.red('not running')}  (DIAL_HOME ${s.home})`,
      ...(s.cleanedStale ? [c.dim('removed a stale pid file left by a daemon that is gone')] : []),
      `start it with: dial cluster up`,
    ].join('\n');
  }
  const lines = [
    `${c.bold('cluster')}  ${c.green('running')}  pid ${s.pid}, up ${formatUptime(s.uptimeSeconds ?? 0)}${s.ready ? '' : c.yellow(' (starting)')}`,
    `  registry API  ${s.api?.url}`,
    ...(s.kafka ? [`  Kafka         ${s.kafka.bootstrap}  (kcat -b ${s.kafka.bootstrap} -L)`] : []),
    `  DIAL_HOME     ${s.home}`,
    `  log           ${s.logFile}`,
  ];
  const inst = s.instances ?? [];
  if (inst.length) {
    lines.push('', out.table(
      ['INSTANCE', 'KIND', 'PID', 'PORT', 'STATE'],
      inst.map((i) => [i.id, i.kind, i.pid ?? '-', i.port ?? '-', i.state === 'ready' ? c.green(i.state) : i.state === 'exited' ? c.red(`exited (${i.signal ?? i.exitCode})`) : i.state]),
    ));
  }
  return lines.join('\n');
}

export function formatUptime(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}
