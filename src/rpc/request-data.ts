import {readFile} from 'node:fs/promises';
import {DialError, ExitCode, usageError} from '../errors/index.js';

/**
 * Splits text holding zero or more JSON values (a JSON stream: NDJSON or
 * values back to back) into parsed values. Errors name the value and position.
 */
export function parseJsonStream(text: string, origin: string): unknown[] {
  const values: unknown[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i])) i++;
    if (i >= n) break;
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
        if (depth === 0 && !inString) {
          i++;
          break;
        }
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (depth === 0 && /\s/.test(ch)) break;
    }
    const chunk = text.slice(start, i);
    try {
      values.push(JSON.parse(chunk));
    } catch (e) {
      const line = text.slice(0, start).split('\n').length;
      throw new DialError('BAD_JSON', `${origin}: message ${values.length + 1} (line ${line}) is not valid JSON: ${(e as Error).message}`, {
        hint: "request data is JSON, e.g. -d '{\"name\":\"ada\"}'; several messages as NDJSON for streaming calls",
        exitCode: ExitCode.Usage,
      });
    }
  }
  return values;
}

/** Reads all of a stream as UTF-8 text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Resolves -d: inline JSON, @FILE, or @- (the given stdin stream). Returns
 * the request messages (a JSON stream may hold several). No -d means one
 * empty message {}.
 */
export async function loadRequestData(spec: string | undefined, stdin?: NodeJS.ReadableStream): Promise<unknown[]> {
  if (spec === undefined) return [{}];
  if (spec === '@-') {
    if (!stdin) throw usageError('-d @- reads stdin, but there is no stdin here');
    return parseJsonStream(await readAll(stdin), 'stdin');
  }
  if (spec.startsWith('@')) {
    const file = spec.slice(1);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw usageError(`cannot read request file '${file}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
        'pass -d @FILE with a path that exists, or -d with inline JSON');
    }
    return parseJsonStream(text, file);
  }
  return parseJsonStream(spec, '-d');
}
