import {readFile} from 'node:fs/promises';
import {usageError} from '../errors/index.js';

/**
 * A value given as an argument, @FILE, or stdin ('-' or no argument), as
 * consul kv put takes it. A literal that starts with @ is written @@...
 */
export async function readValueInput(arg: string | undefined, stdin: NodeJS.ReadableStream): Promise<Buffer> {
  if (arg === undefined || arg === '-') {
    if ((stdin as NodeJS.ReadStream).isTTY) throw usageError('no VALUE given and stdin is a terminal', 'pass VALUE, @FILE, or pipe the value into stdin');
    const chunks: Buffer[] = [];
    for await (const c of stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
    return Buffer.concat(chunks);
  }
  if (arg.startsWith('@@')) return Buffer.from(arg.slice(1));
  if (arg.startsWith('@')) {
    const file = arg.slice(1);
    try {
      return await readFile(file);
    } catch (e) {
      throw usageError(`cannot read value file '${file}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
        'pass @FILE with a path that exists, or the value itself');
    }
  }
  return Buffer.from(arg);
}
