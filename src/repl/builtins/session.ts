import {parseHeaderFlags} from '../../cli/headers.js';
import {usageError} from '../../errors/index.js';
import {showHelp} from '../dispatch.js';
import {failWith, ok, type Builtin} from './types.js';

export const header: Builtin = {
  name: 'header',
  usage: 'header [NAME=VALUE ...] | header -d NAME | header --clear',
  summary: 'Session metadata sent with every call (as -H); no arguments lists it',
  async run(ctx, args) {
    const {headers} = ctx.session;
    try {
      if (args.length === 0) {
        if (headers.size === 0) ctx.out.note("no session headers; add one with 'header NAME=VALUE'");
        for (const [k, v] of headers) ctx.out.line(`${k}: ${v}`);
      } else if (args[0] === '--clear') {
        headers.clear();
      } else if (args[0] === '-d' || args[0] === '--delete') {
        if (args.length < 2) throw usageError('header -d needs a NAME', "e.g. 'header -d authorization'");
        for (const name of args.slice(1)) headers.delete(name.toLowerCase());
      } else {
        for (const a of args) {
          const eq = a.indexOf('=');
          if (eq <= 0) throw usageError(`'${a}' is not NAME=VALUE`, "e.g. 'header authorization=\"Bearer abc\"'");
          const [[name, value]] = parseHeaderFlags([`${a.slice(0, eq)}: ${a.slice(eq + 1)}`]);
          headers.set(name, value);
        }
      }
      return ok;
    } catch (err) {
      return failWith(ctx, err);
    }
  },
  complete: async (ctx, args) => (args[0] === '-d' ? [...ctx.session.headers.keys()] : args.length === 0 ? ['-d', '--clear'] : []),
};

export const history: Builtin = {
  name: 'history',
  usage: 'history [N]',
  summary: 'The commands typed before (kept in DIAL_HOME/repl_history); Up/Down and Ctrl-R search them',
  async run(ctx, [n]) {
    const all = ctx.history.list();
    const count = n === undefined ? all.length : Number(n);
    if (!Number.isInteger(count) || count < 0) {
      return failWith(ctx, usageError(`'${n}' is not a count`, "e.g. 'history 20'"));
    }
    const width = String(all.length).length;
    all.forEach((line, i) => {
      if (i >= all.length - count) ctx.out.line(`${String(i + 1).padStart(width)}  ${line}`);
    });
    return ok;
  },
};

export const exit: Builtin = {
  name: 'exit',
  aliases: ['quit'],
  usage: 'exit [CODE]',
  summary: 'Leave the REPL (also Ctrl-D)',
  async run(ctx, [code]) {
    const n = code === undefined ? 0 : Number(code);
    if (!Number.isInteger(n) || n < 0 || n > 255) {
      return failWith(ctx, usageError(`'${code}' is not an exit code`, 'use 0..255'));
    }
    return {code: n, exit: true};
  },
};

/** help: the REPL's own commands and every dial command; `help WORDS` shows a command's help. */
export function helpBuiltin(builtins: () => Builtin[]): Builtin {
  return {
    name: 'help',
    usage: 'help [COMMAND]',
    summary: 'This list, or the help of a command (same as COMMAND --help)',
    async run(ctx, args) {
      const {out, catalog} = ctx;
      const own = builtins();
      if (args.length > 0) {
        const b = own.find((x) => x.name === args[0] || x.aliases?.includes(args[0]));
        if (b && args.length === 1) {
          out.line(`${b.usage}\n  ${b.summary}`);
          return ok;
        }
        if (!catalog.find(args) && !catalog.isTopic(args)) {
          return failWith(ctx, usageError(`no command '${args.join(' ')}'`, "'help' lists them"));
        }
        await showHelp(ctx.config, args);
        return ok;
      }
      const c = out.color;
      out.line(c.bold('REPL commands'));
      out.line(out.table(['COMMAND', 'WHAT IT DOES'], own.map((b) => [b.usage.split('  |')[0], b.summary])));
      out.line('');
      out.line(c.bold('dial commands') + ' (type them without `dial`; `COMMAND --help` for details)');
      out.line(out.table(['COMMAND', 'WHAT IT DOES'], catalog.commands
        .filter((x) => x.id !== 'repl' && !own.some((b) => b.name === x.words.join(' ')))
        .map((x) => [x.words.join(' '), (x.summary ?? '').replaceAll('<%= config.bin %>', ctx.config.bin)])));
      out.line('');
      out.line("Tab completes commands, flags, services, methods and @files. Up/Down and Ctrl-R search the history.");
      out.line("A command ending inside quotes continues on the next line. Ctrl-C cancels what runs, Ctrl-D leaves.");
      return ok;
    },
    async complete(ctx, args) {
      if (args.length === 0) return [...builtins().map((b) => b.name), ...ctx.catalog.nextWords([])];
      return ctx.catalog.nextWords(args);
    },
  };
}
