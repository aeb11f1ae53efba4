import {Flags} from '@oclif/core';
import {DialCommand} from '../src/cli/index.js';
import {TOUR_STEPS, runTour, type TourEvent, type TourSummary} from '../src/tour/index.js';

export default class Tour extends DialCommand {
  static override summary = 'A guided tour of dial against a temporary local cluster';
  static override description = `Starts a cluster in a temporary DIAL_HOME, walks through each capability with short explanations and real commands and output, then stops the cluster and removes the folder, leaving nothing running. Steps: ${TOUR_STEPS.map((s) => s.id).join(', ')}.`;
  static override examples = [
    {description: 'The whole tour', command: '<%= config.bin %> tour'},
    {description: 'Only the call step (the cluster starts and stops around it)', command: '<%= config.bin %> tour --step call'},
  ];
  static override flags = {
    step: Flags.string({description: 'Run only these steps (repeatable)', multiple: true, options: TOUR_STEPS.map((s) => s.id)}),
  };

  async run(): Promise<TourSummary> {
    const {flags} = await this.parse(Tour);
    const c = this.out.color;
    const show = (e: TourEvent) => {
      if (this.jsonEnabled()) return;
      if (e.type === 'step') this.out.line(`\n${c.bold.cyan(`── ${e.index + 1}/${e.total}  ${e.step.title} `)}${c.cyan('─'.repeat(Math.max(0, 60 - e.step.title.length)))}\n`);
      else if (e.type === 'say') this.out.line(c.dim(e.text) + '\n');
      else if (e.type === 'command') {
        const cmd = [e.result.program ?? 'dial', ...e.result.args.map(quote)].join(' ');
        const input = e.result.input?.trimEnd();
        // Input fed to stdin shows as a here-document, so the command can be pasted into a shell as is.
        this.out.line(input ? `${c.green('$')} ${c.bold(`${cmd} <<'EOF'`)}\n${input}\nEOF` : `${c.green('$')} ${c.bold(cmd)}`);
        const text = (e.result.stdout + (e.result.stderr ? e.result.stderr : '')).trimEnd();
        if (text) this.out.line(text.split('\n').map((l) => `  ${l}`).join('\n'));
        this.out.line(c.dim(`  (exit ${e.result.exitCode}, ${Math.round(e.result.ms)} ms)\n`));
      } else if (e.type === 'done') this.out.line(e.ok ? c.green('Tour complete; nothing is left running.') : c.red('The tour stopped early; its cluster was stopped.'));
    };
    return runTour({only: flags.step, signal: this.signal, onEvent: show});
  }
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
