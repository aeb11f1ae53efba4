/** One choice of a select prompt. */
export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

/**
 * The questions guided request building asks. The REPL answers them with
 * @inquirer/prompts on the terminal; tests answer them from a script.
 */
export interface Prompter {
  /** Free text; `validate` returns true or the message shown under the prompt. */
  text(message: string, opts?: {default?: string; validate?: (value: string) => true | string}): Promise<string>;
  choose<T>(message: string, choices: Choice<T>[], defaultValue?: T): Promise<T>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
  /** A line of context (e.g. which nested message the next questions fill). */
  note(text: string): void;
}

/** Thrown when the user cancels guided input (Ctrl-C): the request is dropped, the REPL goes on. */
export class RequestCancelled extends Error {
  constructor() {
    super('request cancelled');
    this.name = 'RequestCancelled';
  }
}

/** A Prompter on @inquirer/prompts (loaded on first use), drawing on `output` (stderr). */
export async function inquirerPrompter(input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<Prompter> {
  const {input: ask, select, confirm} = await import('@inquirer/prompts');
  const context = {input, output, clearPromptOnDone: false};
  const cancellable = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      if (['ExitPromptError', 'AbortPromptError', 'CancelPromptError'].includes((e as Error)?.name)) throw new RequestCancelled();
      throw e;
    }
  };
  return {
    text: (message, opts = {}) => cancellable(ask({message, default: opts.default, validate: opts.validate}, context)),
    choose: <T>(message: string, choices: Choice<T>[], defaultValue?: T) =>
      cancellable(select<T>({message, choices, default: defaultValue, pageSize: 12}, context)),
    confirm: (message, defaultValue) => cancellable(confirm({message, default: defaultValue}, context)),
    note: (text) => output.write(`${text}\n`),
  };
}
