import type {ServiceInstance} from '../../registry/index.js';
import type {CommandContext} from '../session.js';

/** The flag values `dial discover` reads (commands/discover.ts defines the flags). */
export interface DiscoverFlags {
  registry?: string;
  token?: string;
  healthy?: boolean;
  tag?: string;
  format?: string;
}

export interface DiscoverResult {
  service: string;
  registry: string;
  instances: ServiceInstance[];
}

/** `dial discover NAME`: the command's logic, run by oclif (commands/discover.ts) or by the fast path (src/cli/fast.ts). */
export async function runDiscover(ctx: CommandContext, args: {name: string}, flags: DiscoverFlags): Promise<DiscoverResult> {
  const {out} = ctx;
  const registry = await ctx.openRegistry({url: flags.registry, token: flags.token});
  const instances = await registry.discover(args.name, {healthy: flags.healthy, tag: flags.tag, signal: ctx.signal});
  if (flags.format === 'addrs') {
    if (!ctx.jsonEnabled()) for (const i of instances) out.line(`${i.address.includes(':') ? `[${i.address}]` : i.address}:${i.port}`);
  } else if (instances.length === 0) {
    // Nothing registered under the name at all: perhaps a typo of one that is.
    const names = await registry.services().then((all) => all.map((s) => s.name), (): string[] => []);
    const hint = names.includes(args.name) ? '' : (await import('../../util/suggest.js')).didYouMean(args.name, names);
    out.note(`no ${flags.healthy ? 'healthy ' : ''}instances of '${args.name}' at ${registry.url}${hint}`);
  } else {
    ctx.log(out.table(
      ['ID', 'ADDRESS', 'PROTOCOL', 'WEIGHT', 'HEALTH', 'CHECKS'],
      instances.map((i) => [
        i.id, `${i.address}:${i.port}`, i.meta.protocol ?? '-', i.meta.weight ?? String(i.weights.passing), out.health(i.status),
        i.checks.map((c) => `${c.type || 'check'} ${c.status}${c.status === 'passing' ? '' : `: ${c.output.slice(0, 60)}`}`).join('; ') || '-',
      ]),
    ));
  }
  return {service: args.name, registry: registry.url, instances};
}
