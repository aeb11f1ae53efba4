/**
 * The WHATWG Headers class (https://fetch.spec.whatwg.org/#headers-class),
 * for the bundles only: scripts/bundle.mjs injects it wherever bundled code
 * (the Connect libraries, for every gRPC, gRPC-Web and Connect call) names
 * the global `Headers`.
 *
 * Why: node's own Headers is a lazy global, and its first use loads node's
 * whole fetch stack (its internal undici), ~30 ms of a ~140 ms `dial call`.
 * The maintained polyfill (headers-polyfill) reads globalThis.Headers in its
 * constructor, which loads that stack all the same. This class does what the
 * spec says for a Headers object with no guard: names are checked tokens,
 * compared without case; values have leading and trailing HTTP whitespace
 * stripped and may hold no NUL, CR or LF; append combines with ", ";
 * iteration is sorted by name and yields each Set-Cookie on its own.
 * test/util/headers.test.ts runs the same random operations on it and on
 * node's Headers and requires the same results and errors.
 *
 * This module must export nothing else: esbuild's inject replaces every
 * global name a module of it exports.
 */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
// A ByteString (no code unit above 0xFF) without NUL, CR or LF.
const BAD_VALUE = /[\0\n\r\u0100-\uffff]/;

type HeadersInit = Iterable<Iterable<string>> | Record<string, string>;

function headerName(name: unknown, method: string): string {
  const s = String(name);
  if (!TOKEN.test(s)) throw new TypeError(`Headers.${method}: "${s}" is an invalid header name.`);
  return s.toLowerCase();
}

function headerValue(value: unknown, method: string): string {
  const s = String(value).replace(HTTP_WHITESPACE, '');
  if (BAD_VALUE.test(s)) throw new TypeError(`Headers.${method}: "${s}" is an invalid header value.`);
  return s;
}

export class Headers {
  readonly #values = new Map<string, string[]>();

  constructor(init?: HeadersInit) {
    if (init === undefined) return;
    if (init === null || (typeof init !== 'object' && typeof init !== 'function')) throw new TypeError('Headers constructor: expected a sequence of pairs or a record');
    if (Symbol.iterator in init) {
      for (const pair of init as Iterable<Iterable<string>>) {
        const p = typeof pair === 'string' ? [] : [...pair];
        if (p.length !== 2) throw new TypeError('Headers constructor: expected name/value pair to be length 2, found ' + p.length + '.');
        this.append(p[0], p[1]);
      }
    } else {
      for (const name of Reflect.ownKeys(init)) {
        if (!Object.prototype.propertyIsEnumerable.call(init, name)) continue;
        if (typeof name === 'symbol') throw new TypeError('Headers constructor: a header name cannot be a symbol.');
        this.append(name, (init as Record<string, string>)[name]);
      }
    }
  }

  append(name: string, value: string): void {
    const key = headerName(name, 'append');
    const v = headerValue(value, 'append');
    const list = this.#values.get(key);
    if (list) list.push(v);
    else this.#values.set(key, [v]);
  }

  set(name: string, value: string): void {
    this.#values.set(headerName(name, 'set'), [headerValue(value, 'set')]);
  }

  delete(name: string): void {
    this.#values.delete(headerName(name, 'delete'));
  }

  has(name: string): boolean {
    return this.#values.has(headerName(name, 'has'));
  }

  get(name: string): string | null {
    return this.#values.get(headerName(name, 'get'))?.join(', ') ?? null;
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])];
  }

  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    if (typeof callback !== 'function') throw new TypeError("Headers.forEach: Argument 1 could not be converted to: Function.");
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }

  *entries(): IterableIterator<[string, string]> {
    // Sorted by code unit, as the spec's "sort and combine" does (names are lowercase ASCII).
    for (const [name, values] of [...this.#values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (name === 'set-cookie') for (const v of values) yield [name, v];
      else yield [name, values.join(', ')];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }
}
