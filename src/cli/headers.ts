import {usageError} from '../errors/index.js';

/** Parses -H 'name: value' flags (curl and grpcurl style) into lower-cased pairs. */
export function parseHeaderFlags(values: string[] | undefined): [string, string][] {
  return (values ?? []).map((h) => {
    const i = h.indexOf(':');
    const name = i > 0 ? h.slice(0, i).trim().toLowerCase() : '';
    if (!name || !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      throw usageError(`-H '${h}' is not a header`, "write it as -H 'name: value'");
    }
    const value = h.slice(i + 1).trim();
    // A header value is bytes (HTTP/1.1 and HTTP/2 alike): Latin-1 at most, and no control characters but tab.
    const bad = /[^\t\x20-\x7e\x80-\xff]/.exec(value);
    if (bad) {
      throw usageError(
        `-H '${h}': the value has a character a header cannot carry (${JSON.stringify(bad[0])})`,
        `send it encoded: percent-encoding or base64 text, or for gRPC bytes in a -bin header: -H '${name.replace(/-bin$/, '')}-bin: ${Buffer.from(value).toString('base64')}'`,
      );
    }
    return [name, value];
  });
}

/** Parses --query 'name=value' flags into pairs (the value may be empty). */
export function parseQueryFlags(values: string[] | undefined): [string, string][] {
  return (values ?? []).map((q) => {
    const i = q.indexOf('=');
    if (i <= 0) throw usageError(`--query '${q}' is not name=value`, "write it as --query 'name=value'");
    return [q.slice(0, i), q.slice(i + 1)];
  });
}
