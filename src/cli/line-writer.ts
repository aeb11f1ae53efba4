const NL = 0x0a;

export interface LineWriterOptions {
  /** Write at once (each line its own write) instead of once per event-loop turn, e.g. where each line is acknowledged after it. */
  immediate?: boolean;
  /** Called once when the reader of the stream has gone (EPIPE: `dial sub ... | head`). */
  onClosed?: () => void;
  /** Bytes gathered before a write (default 256 KB). */
  chunkBytes?: number;
}

/**
 * Lines to a stream (stdout) in large writes: gathered in a buffer and
 * written once per event-loop turn or per chunk, not once per line (to a pipe
 * or a file each write is a syscall, and a string written is a copy more).
 * Lines may be strings or bytes that already are the text (copied as they
 * are). A reader that has gone (EPIPE) ends the writing quietly: onClosed says so.
 */
export class LineWriter {
  private buf: Buffer;
  private at = 0;
  private scheduled = false;
  private gone = false;
  private readonly size: number;
  /** Buffers whose write has completed, to fill again (fresh 256 KB buffers each turn cost the GC more than the copy). */
  private readonly spare: Buffer[] = [];
  private readonly flushSoon = () => {
    this.scheduled = false;
    this.flush();
  };

  constructor(private readonly stream: NodeJS.WritableStream, private readonly opts: LineWriterOptions = {}) {
    this.size = opts.chunkBytes ?? 256 * 1024;
    this.buf = Buffer.allocUnsafe(this.size);
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' || this.gone) return;
      this.gone = true;
      this.opts.onClosed?.();
    });
  }

  /** True once the reader has gone: nothing more is written. */
  get closed(): boolean {
    return this.gone;
  }

  /** A line of text (the newline is added). */
  line(text: string): void {
    const most = text.length * 3 + 1;
    if (this.at + most > this.size) this.flush();
    if (most > this.size) {
      this.write(Buffer.from(`${text}\n`, 'utf8'));
      return;
    }
    this.at += this.buf.write(text, this.at, 'utf8');
    this.buf[this.at++] = NL;
    this.written();
  }

  /** A line whose bytes are already its text (UTF-8), copied as they are. */
  bytes(text: Uint8Array): void {
    if (this.at + text.length + 1 > this.size) this.flush();
    if (text.length + 1 > this.size) {
      this.write(Buffer.concat([text, Buffer.of(NL)]));
      return;
    }
    this.buf.set(text, this.at);
    this.at += text.length;
    this.buf[this.at++] = NL;
    this.written();
  }

  /** Writes what is gathered now. */
  flush(): void {
    if (this.at === 0) return;
    if (this.opts.immediate) {
      // a line at a time: a copy of it, the buffer kept (its write completes after this turn)
      this.write(Buffer.from(this.buf.subarray(0, this.at)));
      this.at = 0;
      return;
    }
    const full = this.buf;
    const out = full.subarray(0, this.at);
    this.buf = this.spare.pop() ?? Buffer.allocUnsafe(this.size);
    this.at = 0;
    this.write(out, () => {
      if (this.spare.length < 4) this.spare.push(full);
    });
  }

  /** Resolves once the stream has taken in what was written, when it holds more than its high-water mark (undefined when it does not). */
  drained(): Promise<void> | undefined {
    const s = this.stream as NodeJS.WritableStream & {writableNeedDrain?: boolean};
    if (this.gone || !s.writableNeedDrain) return undefined;
    return new Promise((resolve) => {
      const done = () => {
        s.off('drain', done);
        s.off('error', done);
        resolve();
      };
      s.on('drain', done);
      s.on('error', done);
    });
  }

  private written(): void {
    if (this.opts.immediate) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushSoon);
    }
  }

  private write(b: Buffer, done?: () => void): void {
    if (!this.gone) this.stream.write(b, done);
  }
}
