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
