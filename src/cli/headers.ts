import {usageError} from '../errors/index.js';

/** Parses -H 'name: value' flags (curl and grpcurl style) into lower-cased pairs. */
export function parseHeaderFlags(values: string[] | undefined): [string, string][] {
  return (values ?? []).map((h) => {
    const i = h.indexOf(':');
    const name = i > 0 ? h.slice(0, i).trim().toLowerCase() : '';
    if (!name || !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      throw usageError(`-H '${h}' is not a header`, "write it as -H 'name: value'");
    }
    return [name, h.slice(i + 1).trim()];
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
