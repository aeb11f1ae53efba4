import {closeSync, existsSync, fdatasync, fstatSync, ftruncateSync, openSync, readFileSync, readSync, writeSync} from 'node:fs';
import {promisify} from 'node:util';
import type {LogRecord} from '../types.js';

const fdatasyncAsync = promisify(fdatasync);

/**
 * Reads a log file: one JSON record per line. A torn last line (a crash in
 * the middle of a write) is ignored; a bad line before the end is corruption.
 */
export function readLogFile(path: string): {records: LogRecord[]; validBytes: number} {
  if (!existsSync(path)) return {records: [], validBytes: 0};
  const text = readFileSync(path, 'utf8');
  const records: LogRecord[] = [];
  let offset = 0;
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    const last = i === lines.length - 1;
    if (last && line === '') break;
    try {
      if (last) throw new Error('no newline');
      records.push(JSON.parse(line) as LogRecord);
      offset += Buffer.byteLength(line) + 1;
    } catch (e) {
      if (last) break;
      throw new Error(`${path}: line ${i + 1} is not a log record (${(e as Error).message}); the log is corrupt`, {cause: e});
    }
  }
  return {records, validBytes: offset};
}

/**
 * Where the whole records of a log end, found from the end: the byte after
 * its last newline (what follows is a torn write, cut off by the crash). It
 * reads back only as far as that newline, and the record before it (which
 * must parse), not the whole file: a process that only appends (a
 * coordinator run, a bench) opens a long log in constant time. Recovery
 * reads everything with readLogFile, which also finds a bad line further up.
 */
export function validEnd(fd: number, path: string): number {
  const size = fstatSync(fd).size;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  let end = -1;
  let pos = size;
  while (pos > 0 && end < 0) {
    const n = Math.min(chunk.length, pos);
    pos -= n;
    readSync(fd, chunk, 0, n, pos);
    const i = chunk.subarray(0, n).lastIndexOf(10);
    if (i >= 0) end = pos + i + 1;
  }
  if (end <= 0) return 0;
  // The last whole record must be one (a bad line means corruption, not a torn write).
  let start = end - 1;
  const parts: Buffer[] = [];
  pos = end - 1;
  for (;;) {
    const n = Math.min(chunk.length, pos);
    if (n === 0) break;
    const b = Buffer.allocUnsafe(n);
    readSync(fd, b, 0, n, pos - n);
    const i = b.lastIndexOf(10);
    if (i >= 0) {
      parts.unshift(b.subarray(i + 1));
      start = pos - n + i + 1;
      break;
    }
    parts.unshift(b);
    pos -= n;
    start = pos;
  }
  const line = Buffer.concat(parts).toString('utf8');
  try {
    JSON.parse(line);
  } catch (e) {
    throw new Error(`${path}: the record at byte ${start} is not a log record (${(e as Error).message}); the log is corrupt`, {cause: e});
  }
  return end;
}

/**
 * The durable log of one process: an append-only file of JSON lines. Like a
 * database's log buffer, unforced records wait in memory; a force writes
 * them with the forced record and fdatasyncs, so a SIGKILL loses exactly the
 * unforced tail. `fsync: false` skips the fdatasync (to measure its cost).
 */
export class FileLog {
  private fd: number;
  private buffer: string[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private idle?: NodeJS.Timeout;
  /** The flush that waits for the one writing now (forces arriving meanwhile join it). */
  private queued?: Promise<number>;
  fsync = true;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a+', 0o600);
    try {
      // A torn last record (a crash mid-write) is cut off, so the next append starts a whole line.
      const end = validEnd(this.fd, path);
      if (end < fstatSync(this.fd).size) ftruncateSync(this.fd, end);
    } catch (e) {
      closeSync(this.fd);
      throw e;
    }
  }

  /** Appends; with `force`, resolves once everything so far is durable, with the time it took (ms). */
  append(record: LogRecord, force: boolean): Promise<number> | undefined {
    this.buffer.push(JSON.stringify(record) + '\n');
    if (!force) {
      this.idle ??= setTimeout(() => void this.flush(), 200);
      return undefined;
    }
    return this.flush();
  }

  /**
   * Writes and syncs the buffer. Group commit: a flush asked for while
   * another one is writing joins the next one, which takes whatever is
   * buffered when it starts, so N forces that arrive during one fdatasync
   * cost one more fdatasync, not N.
   */
  flush(): Promise<number> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    if (this.queued) return this.queued;
    const run = async () => {
      this.queued = undefined;
      const data = this.buffer.join('');
      this.buffer = [];
      const t0 = performance.now();
      // A small append to the page cache: a synchronous write is a few µs, a trip through libuv's thread pool far more.
      if (data) writeSync(this.fd, data);
      if (this.fsync) await fdatasyncAsync(this.fd);
      return performance.now() - t0;
    };
    const p = this.chain.then(run);
    this.queued = p;
    this.chain = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    await this.flush();
    closeSync(this.fd);
  }
}
