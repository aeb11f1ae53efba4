import {readFile} from 'node:fs/promises';
import {usageError} from '../errors/index.js';
import {NAME_RE} from './types.js';

/**
 * `dial pub -d`: a literal value is one message; @FILE or @- (stdin) is one
 * message per non-empty line.
 */
export async function readPublishData(data: string | undefined, stdin: NodeJS.ReadableStream): Promise<string[]> {
  if (data === undefined) throw usageError('nothing to publish: pass -d VALUE, -d @FILE or -d @- (one message per line)', "e.g. dial pub orders -d '{\"id\":1}'");
  if (!data.startsWith('@')) return [data];
  let text: string;
  if (data === '@-') {
    const chunks: Buffer[] = [];
    for await (const c of stdin) chunks.push(Buffer.from(c as Buffer));
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    try {
      text = await readFile(data.slice(1), 'utf8');
    } catch (e) {
      throw usageError(`cannot read ${data.slice(1)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'check the path after @');
    }
  }
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');
  if (lines.length === 0) throw usageError(`${data === '@-' ? 'stdin' : data.slice(1)} has no lines to publish`);
  return lines;
}

/** Checks a topic or group name from the command line (Kafka's alphabet). */
export function checkName(kind: 'topic' | 'group', value: string): string {
  if (!NAME_RE.test(value)) throw usageError(`'${value}' is not a valid ${kind} name`, 'use 1-200 of A-Z a-z 0-9 . _ -');
  return value;
}
