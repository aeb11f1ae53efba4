/**
 * A version counter that backends bump when something may have changed
 * (a write in memory, an etcd watch event, a ZooKeeper watcher), and the
 * snapshot loop that turns it into watch results: the current snapshot at
 * once, then a new one after each change that alters it.
 */
export class ChangeFeed {
  private version = 0;
  private failure?: Error;
  private readonly waiters = new Set<() => void>();

  get current(): number {
    return this.version;
  }

  bump(): void {
    this.version++;
    for (const w of [...this.waiters]) w();
  }

  /** Makes every pending and later wait() reject (the backend went away). */
  fail(err: Error): void {
    this.failure = err;
    for (const w of [...this.waiters]) w();
  }

  /** Resolves once the version passes `after`; resolves early (quietly) when `signal` aborts. */
  wait(after: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.failure) finish(() => reject(this.failure));
        else if (this.version > after || signal?.aborted) finish(resolve);
      };
      const finish = (f: () => void) => {
        this.waiters.delete(check);
        signal?.removeEventListener('abort', check);
        f();
      };
      this.waiters.add(check);
      signal?.addEventListener('abort', check, {once: true});
      check();
    });
  }
}

/** Yields take() now and after every change of the feed, skipping snapshots equal to the last one. */
export async function* snapshotsOf<T>(feed: ChangeFeed, take: () => Promise<T>, signal?: AbortSignal): AsyncGenerator<T> {
  let last: string | undefined;
  while (!signal?.aborted) {
    const seen = feed.current;
    const snap = await take();
    const key = JSON.stringify(snap);
    if (key !== last) {
      last = key;
      yield snap;
    }
    await feed.wait(seen, signal);
  }
}
