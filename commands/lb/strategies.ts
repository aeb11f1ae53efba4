import {DialCommand} from '../../src/cli/index.js';
import {STRATEGIES} from '../../src/lb/catalog.js';

interface Row {
  name: string;
  aliases: string[];
  kind: string;
  keyed: boolean;
  summary: string;
  params: {key: string; description: string}[];
}

export default class LbStrategies extends DialCommand {
  static override summary = 'List the load-balancing strategies and their parameters';
  static override description = 'Names (and aliases) accepted by --strategy and --lb. Parameters are written NAME:key=value, e.g. ring:vnodes=40 or peak-ewma:decay=5s.';
  static override examples = [{description: 'All strategies', command: '<%= config.bin %> lb strategies'}];

  async run(): Promise<{strategies: Row[]}> {
    await this.parse(LbStrategies);
    const rows: Row[] = STRATEGIES.map((s) => ({name: s.name, aliases: s.aliases, kind: s.kind, keyed: s.keyed, summary: s.summary, params: s.params.map((p) => ({key: p.key, description: p.description}))}));
    this.log(this.out.table(['STRATEGY', 'KIND', 'ALIASES', 'WHAT IT DOES', 'PARAMETERS'], rows.map((r) => [
      r.name, `${r.kind}${r.keyed ? ', keyed' : ''}`, r.aliases.join(', ') || '-', r.summary, r.params.map((p) => `${p.key}: ${p.description}`).join('; ') || '-',
    ])));
    return {strategies: rows};
  }
}
