/**
 * -H metadata as the user gave it: a list of pairs, where a name may come
 * more than once (-H 'multi: a' -H 'multi: b'). grpcurl sends every value;
 * so does dial.
 */
export type HeaderPairs = [string, string][];

/** One value per name, repeated names joined with ", " (HTTP's and gRPC's equivalent of several fields). */
export function joinedHeaders(pairs: HeaderPairs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) out[k] = k in out ? `${out[k]}, ${v}` : v;
  return out;
}

/** The names given more than once, with all their values, so they can go out as separate header fields. */
export function repeatedHeaders(pairs: HeaderPairs): Record<string, string[]> | undefined {
  const all = new Map<string, string[]>();
  for (const [k, v] of pairs) all.set(k, [...(all.get(k) ?? []), v]);
  const repeated = [...all].filter(([, vs]) => vs.length > 1);
  return repeated.length ? Object.fromEntries(repeated) : undefined;
}

/** Header fields for node's http/http2/undici: one string per name, an array for names given more than once. */
export function headerFields(pairs: HeaderPairs): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {...joinedHeaders(pairs)};
  for (const [k, vs] of Object.entries(repeatedHeaders(pairs) ?? {})) out[k] = vs;
  return out;
}
