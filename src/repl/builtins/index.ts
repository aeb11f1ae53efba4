import {exit, header, helpBuiltin, history} from './session.js';
import {desc, show} from './show.js';
import type {Builtin} from './types.js';
import {use} from './use.js';

export type {Builtin} from './types.js';

/** The REPL's own commands; they take precedence over dial commands of the same name (`dial NAME` reaches those). */
export const BUILTINS: Builtin[] = [use, show, desc, header, history];
BUILTINS.push(helpBuiltin(() => BUILTINS), exit);

export function findBuiltin(name: string): Builtin | undefined {
  return BUILTINS.find((b) => b.name === name || b.aliases?.includes(name));
}
