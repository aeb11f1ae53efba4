/**
 * The stdin a command reads (`-d @-`, `kv put KEY -`): process.stdin, except
 * while the REPL runs a command and feeds it what the user types line by line.
 */
let override: NodeJS.ReadableStream | undefined;

export function commandStdin(): NodeJS.ReadableStream {
  return override ?? process.stdin;
}

/** Runs `fn` with `stream` as the commands' stdin. */
export async function withCommandStdin<T>(stream: NodeJS.ReadableStream, fn: () => Promise<T>): Promise<T> {
  override = stream;
  try {
    return await fn();
  } finally {
    override = undefined;
  }
}
