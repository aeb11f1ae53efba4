import type {DescMessage, JsonValue} from '@bufbuild/protobuf';
import {parseDuration} from '../../util/index.js';
import type {Prompter} from './prompter.js';
import {parseScalar, scalarName} from './scalars.js';

/** Asks for one value of a field; undefined when the user skips it (allowed unless required). */
export type Ask = (label: string, required: boolean) => Promise<JsonValue | undefined>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** A text prompt whose answer goes through `parse`; empty input skips when allowed. */
function textAsk(p: Prompter, hint: string, parse: (text: string) => {ok: true; value: JsonValue} | {ok: false; error: string}): Ask {
  return async (label, required) => {
    const answer = await p.text(`${label} (${hint})${required ? '' : ', empty to skip'}:`, {
      validate: (v) => {
        if (v.trim() === '') return required ? 'a value is needed here' : true;
        const r = parse(v);
        return r.ok ? true : r.error;
      },
    });
    if (answer.trim() === '') return undefined;
    const r = parse(answer);
    return r.ok ? r.value : undefined;
  };
}

function jsonText(kind: 'object' | 'array' | 'any', example: string) {
  return (text: string) => {
    try {
      const v = JSON.parse(text) as JsonValue;
      const isObj = v !== null && typeof v === 'object' && !Array.isArray(v);
      if (kind === 'object' && !isObj) return {ok: false as const, error: `a JSON object is needed, e.g. ${example}`};
      if (kind === 'array' && !Array.isArray(v)) return {ok: false as const, error: `a JSON array is needed, e.g. ${example}`};
      return {ok: true as const, value: v};
    } catch (e) {
      return {ok: false as const, error: `not JSON: ${(e as Error).message}`};
    }
  };
}

function timestamp(text: string) {
  const t = text.trim();
  if (t.toLowerCase() === 'now') return {ok: true as const, value: new Date().toISOString()};
  if (!RFC3339.test(t) || Number.isNaN(Date.parse(t))) {
    return {ok: false as const, error: "a timestamp is 'now' or RFC 3339, e.g. 2024-05-01T12:00:00Z or 2024-05-01T14:00:00+02:00"};
  }
  return {ok: true as const, value: t.replace(' ', 'T')};
}

function duration(text: string) {
  const ms = parseDuration(text);
  if (ms === undefined || !Number.isFinite(ms)) return {ok: false as const, error: 'a duration is written like 1.5s, 250ms, 2m or 1h30m'};
  return {ok: true as const, value: `${Number((ms / 1000).toFixed(9))}s`};
}

/**
 * How to ask for a field of a well-known type in its JSON form (Timestamp as
 * RFC 3339 or 'now', Duration as 1.5s, wrappers as their scalar, Struct,
 * Value, ListValue and Any as JSON text, FieldMask as paths), or undefined
 * for an ordinary message.
 */
export function wellKnownAsk(msg: DescMessage, p: Prompter): Ask | undefined {
  const name = msg.typeName;
  if (!name.startsWith('google.protobuf.')) return undefined;
  switch (name) {
    case 'google.protobuf.Timestamp':
      return textAsk(p, "Timestamp: 'now' or RFC 3339", timestamp);
    case 'google.protobuf.Duration':
      return textAsk(p, 'Duration, e.g. 1.5s', duration);
    case 'google.protobuf.Struct':
      return textAsk(p, 'JSON object', jsonText('object', '{"a":1}'));
    case 'google.protobuf.ListValue':
      return textAsk(p, 'JSON array', jsonText('array', '[1,"a"]'));
    case 'google.protobuf.Value':
      return textAsk(p, 'any JSON value', jsonText('any', '"a" or 1 or {"a":1}'));
    case 'google.protobuf.Any':
      return textAsk(p, 'JSON object with "@type"', (t) => {
        const r = jsonText('object', '{"@type":"type.googleapis.com/pkg.Msg"}')(t);
        if (r.ok && typeof (r.value as {['@type']?: unknown})['@type'] !== 'string') return {ok: false, error: 'an Any needs "@type", e.g. {"@type":"type.googleapis.com/pkg.Msg", ...}'};
        return r;
      });
    case 'google.protobuf.FieldMask':
      return textAsk(p, 'FieldMask: comma-separated paths, e.g. name,address.city', (t) => ({ok: true, value: t.trim()}));
    case 'google.protobuf.Empty':
      return async (label, required) => (required || (await p.confirm(`set ${label} (Empty)?`, false)) ? {} : undefined);
    default: {
      const value = msg.fields.length === 1 && msg.fields[0].name === 'value' ? msg.fields[0] : undefined;
      if (value?.fieldKind === 'scalar' && name.endsWith('Value')) return textAsk(p, scalarName(value.scalar), (t) => parseScalar(value.scalar, t));
      return undefined;
    }
  }
}
