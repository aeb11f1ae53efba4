/**
 * Incremental reverse history search (Ctrl-R), as in bash and zsh: typing
 * narrows the query, Ctrl-R again finds the next older match. Pure state;
 * the line editor draws it.
 */
export class ReverseSearch {
  query = '';
  /** Index (in newest-first history) of the current match, -1 when none. */
  private index = -1;
  private failed = false;

  constructor(private readonly history: readonly string[]) {}

  /** The matched history entry, if any. */
  get match(): string | undefined {
    return this.index === -1 ? undefined : this.history[this.index];
  }

  /** Where the query sits in the match (for the cursor). */
  get matchPosition(): number {
    const m = this.match;
    return m === undefined ? 0 : Math.max(0, m.lastIndexOf(this.query));
  }

  /** The prompt bash shows while searching. */
  get prompt(): string {
    return `(${this.failed ? 'failed ' : ''}reverse-i-search)\`${this.query}': `;
  }

  /** Adds typed text to the query; keeps the current match when it still matches. */
  type(text: string): void {
    this.query += text;
    this.search(Math.max(this.index, 0));
  }

  /** Removes the last character of the query and searches again from the newest entry. */
  backspace(): void {
    this.query = this.query.slice(0, -1);
    this.index = -1;
    this.search(0);
  }

  /** The next older entry that matches (Ctrl-R again). */
  next(): void {
    if (this.query !== '') this.search(this.index + 1);
  }

  /** Finds the first match at or after `from`; on failure keeps the last match, marked failed (as bash does). */
  private search(from: number): void {
    this.failed = false;
    if (this.query === '') return;
    for (let i = from; i < this.history.length; i++) {
      if (this.history[i].includes(this.query)) {
        this.index = i;
        return;
      }
    }
    this.failed = true;
  }
}
