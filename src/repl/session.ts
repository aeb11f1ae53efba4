import type {ChalkInstance} from 'chalk';
import {readClusterFile} from '../config/index.js';

/** The current target of the REPL, set by `use`. */
export interface SessionTarget {
  /** What commands get as TARGET: a registry service name or HOST:PORT. */
  name: string;
  /** The instance the schema came from, when `name` is a service name. */
  hostPort?: string;
  /** The selected gRPC service (fully qualified), e.g. helloworld.Greeter. */
  service?: string;
}

/**
 * What a REPL session remembers between commands: the target and gRPC
 * service (`use`), session metadata (`header`), and the exit code of the last
 * command, all shown in the prompt.
 */
export class Session {
  target?: SessionTarget;
  readonly headers = new Map<string, string>();
  lastCode = 0;

  constructor(private readonly home: string, private readonly registryUrl?: string) {}

  /** Where the registry is, for the prompt: `dial` for the local cluster, `dial@HOST:PORT` for --registry. */
  clusterLabel(): string {
    if (this.registryUrl) return `dial@${this.registryUrl.replace(/^[a-z+]+:\/\//i, '')}`;
    try {
      return readClusterFile(this.home) ? 'dial' : 'dial(no cluster)';
    } catch {
      return 'dial(bad cluster file)';
    }
  }

  /** `dial greeter(127.0.0.1:50051) helloworld.Greeter [78]> ` */
  prompt(color: ChalkInstance): string {
    const parts = [color.cyan(this.clusterLabel())];
    const t = this.target;
    if (t) {
      parts.push(color.green(t.hostPort && t.hostPort !== t.name ? `${t.name}(${t.hostPort})` : t.name));
      if (t.service) parts.push(color.yellow(t.service));
    }
    if (this.lastCode !== 0) parts.push(color.red(`[${this.lastCode}]`));
    return `${parts.join(' ')}> `;
  }
}
