import {readFile} from 'node:fs/promises';
import {DialError, ExitCode, usageError} from '../errors/index.js';

/**
 * Finds the complete JSON values at the start of `text` (a JSON stream: NDJSON
 * or values back to back). With `final` false, a value still open at the end
 * is left for later (more input may complete it). Returns the raw value texts
 * with their line numbers, and how many characters were consumed.
 */
function scanJsonValues(text: string, final: boolean, line0 = 1): {values: {raw: string; line: number}[]; consumed: number; line: number} {
  const values: {raw: string; line: number}[] = [];
  let i = 0;
  let line = line0;
  const n = text.length;
  let consumed = 0;
  while (i < n) {
    while (i < n && /\s/.test(text[i])) {
      if (text[i] === '\n') line++;
      i++;
    }
    consumed = i;
    if (i >= n) break;
    const start = i;
    const startLine = line;
    let depth = 0;
    let inString = false;
    let complete = false;
    for (; i < n; i++) {
      const ch = text[i];
      if (ch === '\n') line++;
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
        if (depth === 0 && !inString) {
          i++;
          complete = true;
          break;
        }
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth <= 0) {
          i++;
          complete = true;
          break;
        }
      } else if (depth === 0 && /\s/.test(ch)) {
        complete = true;
        break;
      }
    }
    if (!complete && !final) {
      line = startLine;
      break;
    }
    values.push({raw: text.slice(start, i), line: startLine});
    consumed = i;
  }
  return {values, consumed: final ? n : consumed, line};
}

function parseValue(v: {raw: string; line: number}, index: number, origin: string): unknown {
  try {
    return JSON.parse(v.raw);
  } catch (e) {
    throw new DialError('BAD_JSON', `${origin}: message ${index + 1} (line ${v.line}) is not valid JSON: ${(e as Error).message}`, {
      hint: "request data is JSON, e.g. -d '{\"name\":\"ada\"}'; several messages as NDJSON for streaming calls",
      exitCode: ExitCode.Usage,
    });
  }
}

/**
 * Splits text holding zero or more JSON values (a JSON stream: NDJSON or
 * values back to back) into parsed values. Errors name the value and line.
 */
export function parseJsonStream(text: string, origin: string): unknown[] {
  return scanJsonValues(text, true).values.map((v, i) => parseValue(v, i, origin));
}

/**
 * Parses a JSON stream as it arrives (stdin of a bidi call): each value is
 * yielded as soon as it is complete, so messages go out while the user types.
 */
export async function* jsonStreamValues(stream: NodeJS.ReadableStream, origin: string): AsyncGenerator<unknown> {
  let buf = '';
  let line = 1;
  let index = 0;
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    buf += typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, {stream: true});
    const r = scanJsonValues(buf, false, line);
    for (const v of r.values) yield parseValue(v, index++, origin);
    buf = buf.slice(r.consumed);
    line = r.line;
  }
  for (const v of scanJsonValues(buf + decoder.decode(), true, line).values) yield parseValue(v, index++, origin);
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
  const data = requestData(spec, stdin);
  if (!(Symbol.asyncIterator in data)) return data;
  const out: unknown[] = [];
  for await (const m of data) out.push(m);
  return out;
}

/**
 * Like loadRequestData, but stdin (-d @-) stays a stream: its messages are
 * parsed and can be sent one by one as they arrive (client and bidi streaming).
 */
export function requestData(spec: string | undefined, stdin?: NodeJS.ReadableStream): unknown[] | Promise<unknown[]> | AsyncIterable<unknown> {
  if (spec === '@-') {
    if (!stdin) throw usageError('-d @- reads stdin, but there is no stdin here');
    return jsonStreamValues(stdin, 'stdin');
  }
  return loadStaticData(spec);
}

async function loadStaticData(spec: string | undefined): Promise<unknown[]> {
  if (spec === undefined) return [{}];
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
