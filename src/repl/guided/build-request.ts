import {ScalarType, type DescEnum, type DescField, type DescMessage, type DescOneof, type JsonObject, type JsonValue} from '@bufbuild/protobuf';
import type {Prompter} from './prompter.js';
import {parseScalar, scalarName} from './scalars.js';
import {wellKnownAsk} from './well-known.js';

/** The type of one value: a field's, a list element's, or a map value's. */
type ValueType = {kind: 'scalar'; scalar: ScalarType} | {kind: 'enum'; enum: DescEnum} | {kind: 'message'; message: DescMessage};

/** Nested messages deeper than this are not offered (recursive types would never end). */
const MAX_DEPTH = 8;
/** Explicit presence (proto3 `optional`, proto2): a set default value still means something. */
const EXPLICIT = 1;

function typeLabel(t: ValueType): string {
  if (t.kind === 'scalar') return scalarName(t.scalar);
  return t.kind === 'enum' ? t.enum.typeName : t.message.typeName;
}

function elementType(f: DescField): ValueType {
  const kind = f.fieldKind === 'list' ? f.listKind : f.fieldKind === 'map' ? f.mapKind : f.fieldKind;
  if (kind === 'scalar') return {kind, scalar: (f as {scalar: ScalarType}).scalar};
  if (kind === 'enum') return {kind, enum: (f as {enum: DescEnum}).enum};
  return {kind: 'message', message: (f as {message: DescMessage}).message};
}

/** A short description of a field's type, e.g. `repeated string`, `map<string, int32>`. */
export function fieldTypeLabel(f: DescField): string {
  const t = typeLabel(elementType(f));
  if (f.fieldKind === 'list') return `repeated ${t}`;
  if (f.fieldKind === 'map') return `map<${scalarName(f.mapKey)}, ${t}>`;
  return t;
}

/**
 * Builds a request message field by field, asking with the Prompter: scalars
 * validated as typed, enums as a choice, nested messages recursively, repeated
 * fields and maps element by element until "finish", a oneof as a choice of
 * its case, well-known types in their JSON forms. Returns the proto3 JSON of
 * the message, with only the fields the user set.
 */
export async function buildRequest(message: DescMessage, p: Prompter): Promise<JsonObject> {
  return new RequestBuilder(p).message(message, '', 0);
}

class RequestBuilder {
  constructor(private readonly p: Prompter) {}

  async message(msg: DescMessage, path: string, depth: number): Promise<JsonObject> {
    const out: JsonObject = {};
    for (const member of msg.members) {
      if (member.kind === 'oneof') {
        const chosen = await this.oneof(member, path);
        if (chosen) out[chosen.jsonName] = (await this.single(elementType(chosen), `${path}${chosen.name}`, true, depth)) ?? null;
        continue;
      }
      const value = await this.field(member, path, depth);
      if (value !== undefined) out[member.jsonName] = value;
    }
    return out;
  }

  private async oneof(o: DescOneof, path: string): Promise<DescField | undefined> {
    const choices = [
      {name: '(none)', value: undefined as DescField | undefined},
      ...o.fields.map((f) => ({name: `${f.name} (${fieldTypeLabel(f)})`, value: f as DescField | undefined})),
    ];
    return this.p.choose(`${path}${o.name}: which one?`, choices, undefined);
  }

  private async field(f: DescField, path: string, depth: number): Promise<JsonValue | undefined> {
    const label = `${path}${f.name}`;
    if (f.fieldKind === 'list') return this.list(f, label, depth);
    if (f.fieldKind === 'map') return this.map(f, label, depth);
    return this.single(elementType(f), label, false, depth, f.presence !== EXPLICIT);
  }

  /**
   * One value. `required`: the user must give one (a oneof case, a list
   * element). `implicit`: a default value is the same as unset (proto3), so
   * false/0 answers are left out of the JSON.
   */
  private async single(t: ValueType, label: string, required: boolean, depth: number, implicit = false): Promise<JsonValue | undefined> {
    if (t.kind === 'enum') {
      const v = await this.enumValue(t.enum, label, !required && !implicit);
      return implicit && v === t.enum.values.find((x) => x.number === 0)?.name ? undefined : v;
    }
    if (t.kind === 'scalar') {
      if (t.scalar === ScalarType.BOOL && !required) {
        const v = await this.p.confirm(`${label} (bool)`, false);
        return v || !implicit ? v : undefined;
      }
      return this.scalar(t.scalar, label, required);
    }
    const wkt = wellKnownAsk(t.message, this.p);
    if (wkt) return wkt(label, required);
    if (!required && (depth >= MAX_DEPTH || !(await this.p.confirm(`set ${label} (${t.message.typeName})?`, false)))) return undefined;
    this.p.note(`  ${label} (${t.message.typeName}):`);
    return this.message(t.message, `${label}.`, depth + 1);
  }

  private async scalar(type: ScalarType, label: string, required: boolean): Promise<JsonValue | undefined> {
    const answer = await this.p.text(`${label} (${scalarName(type)})${required ? '' : ', empty to skip'}:`, {
      validate: (v) => {
        if (v === '' && (!required || type === ScalarType.STRING || type === ScalarType.BYTES)) return true;
        const r = parseScalar(type, v);
        return r.ok ? true : r.error;
      },
    });
    if (answer === '' && !required) return undefined;
    const r = parseScalar(type, answer);
    return r.ok ? r.value : undefined;
  }

  /** An enum value from a list; `skippable` (explicit presence) adds "(skip)", the default. */
  private async enumValue(e: DescEnum, label: string, skippable: boolean): Promise<JsonValue | undefined> {
    const choices = e.values.map((v) => ({name: v.name, value: v.name as string | undefined}));
    if (skippable) choices.unshift({name: '(skip)', value: undefined});
    return this.p.choose(`${label} (${e.typeName})`, choices, skippable ? undefined : e.values[0]?.name);
  }

  private async list(f: DescField, label: string, depth: number): Promise<JsonValue | undefined> {
    const t = elementType(f);
    const items: JsonValue[] = [];
    for (let i = 0; i < 10_000; i++) {
      const more = await this.p.choose(`${label} (${fieldTypeLabel(f)}, ${items.length} so far)`, [
        {name: `add ${label}[${i}]`, value: true},
        {name: 'finish', value: false},
      ], false);
      if (!more) break;
      const v = await this.single(t, `${label}[${i}]`, true, depth + 1);
      if (v !== undefined) items.push(v);
    }
    return items.length ? items : undefined;
  }

  private async map(f: DescField & {fieldKind: 'map'}, label: string, depth: number): Promise<JsonValue | undefined> {
    const t = elementType(f);
    const entries: JsonObject = {};
    for (let i = 0; i < 10_000; i++) {
      const more = await this.p.choose(`${label} (${fieldTypeLabel(f)}, ${Object.keys(entries).length} so far)`, [
        {name: 'add an entry', value: true},
        {name: 'finish', value: false},
      ], false);
      if (!more) break;
      const key = await this.scalar(f.mapKey, `${label} key`, true);
      const v = await this.single(t, `${label}[${JSON.stringify(key)}]`, true, depth + 1);
      if (key !== undefined && v !== undefined) entries[String(key)] = v;
    }
    return Object.keys(entries).length ? entries : undefined;
  }
}
