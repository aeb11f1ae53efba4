import {closeSync, existsSync, fdatasync, ftruncateSync, openSync, readFileSync, writeSync} from 'node:fs';
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
    const {validBytes} = readLogFile(path);
    this.fd = openSync(path, 'a+', 0o600);
    ftruncateSync(this.fd, validBytes);
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
