// Renders every help page (root, topics, commands) once at build time into
// dist/help/*.txt, exactly as oclif prints them to a non-terminal (80
// columns, no color). bin/run.js serves `dial ... --help` from these files
// when stdout is not a terminal, so scripts and pipes skip loading oclif;
// terminals keep oclif's live, width-aware rendering.
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';

export async function renderHelpCache(root) {
  const {Config, Help} = await import('@oclif/core');
  const config = await Config.load({root: resolve(root)});
  const out = join(root, 'dist', 'help');
  rmSync(out, {recursive: true, force: true});
  mkdirSync(out, {recursive: true});
  const render = async (argv) => {
    const help = new Help(config, {maxWidth: 80, stripAnsi: true});
    const lines = [];
    help.log = (...args) => lines.push(args.join(' '));
    await help.showHelp(argv);
    return lines.join('\n') + '\n';
  };
  const pages = {_root: await render([])};
  const ids = new Set([...config.topics.map((t) => t.name), ...config.commands.filter((c) => !c.hidden).map((c) => c.id)]);
  for (const id of ids) {
    const words = id.split(/[: ]/);
    pages[words.join(' ')] = await render(words);
  }
  // The version line names this node and platform: bin/run.js fills it in at run time.
  for (const [id, text] of Object.entries(pages)) writeFileSync(join(out, `${id}.txt`), text.replaceAll(config.userAgent, '{{USER_AGENT}}'));
  return Object.keys(pages).length;
}
