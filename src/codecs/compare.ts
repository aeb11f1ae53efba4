import {extname} from 'node:path';
import {usageError} from '../errors/index.js';
import {loadCodec} from './registry.js';
import type {BoundCodec, Codec} from './types.js';

export interface CompareRow {
  codec: string;
  /** Fully qualified type the codec used (schema codecs). */
  type?: string;
  schema?: string;
  bytes: number;
  /** Size relative to JSON (1 = same). */
  vsJson: number;
  encodeUs: number;
  decodeUs: number;
  iterations: number;
}

export interface CompareResult {
  message: unknown;
  rows: CompareRow[];
}

const SCHEMALESS = ['json', 'msgpack', 'xml-rpc'];
const BY_EXTENSION: Record<string, string[]> = {'.proto': ['protobuf'], '.protoset': ['protobuf'], '.binpb': ['protobuf'], '.pb': ['protobuf'], '.desc': ['protobuf'], '.thrift': ['thrift-binary', 'thrift-compact'], '.avsc': ['avro']};

/** Mean µs per call of fn, over at most `iterations` runs and about `budgetMs`. */
function time(fn: () => unknown, iterations: number, budgetMs: number): {us: number; n: number} {
  fn();
  const start = performance.now();
  let n = 0;
  while (n < iterations && (n < 10 || performance.now() - start < budgetMs)) {
    fn();
    n++;
  }
  return {us: ((performance.now() - start) * 1000) / Math.max(n, 1), n};
}

/**
 * Encodes one JSON message in every codec that can carry it: the schemaless
 * ones always, protobuf / thrift / avro for each --schema of theirs (the
 * same --type name in each), and times encode and decode.
 */
export async function compareCodecs(opts: {message: unknown; schemas: string[]; importPaths?: string[]; type?: string; iterations?: number; budgetMs?: number}): Promise<CompareResult> {
  const plan: {codec: Codec; bound: BoundCodec; schema?: string}[] = [];
  for (const name of SCHEMALESS) {
    const codec = await loadCodec(name);
    plan.push({codec, bound: await codec.bind()});
  }
  for (const file of opts.schemas) {
    const names = BY_EXTENSION[extname(file).toLowerCase()];
    if (!names) throw usageError(`'${file}' is not a .proto, .protoset, .thrift or .avsc schema`, 'compare reads protobuf (.proto, .protoset), Thrift (.thrift) and Avro (.avsc) schemas');
    if (!opts.type && extname(file) !== '.avsc') throw usageError(`--type is needed to pick the message in ${file}`, 'e.g. --type HelloRequest');
    for (const name of names) {
      const codec = await loadCodec(name);
      const imports = name !== 'avro' && opts.importPaths?.length ? {importPaths: opts.importPaths} : {};
      plan.push({codec, bound: await codec.bind({file, type: opts.type, ...imports}), schema: file});
    }
  }
  const iterations = opts.iterations ?? 2000;
  const budget = opts.budgetMs ?? 300;
  const rows: CompareRow[] = [];
  for (const {codec, bound, schema} of plan) {
    const bytes = bound.encode(opts.message);
    const enc = time(() => bound.encode(opts.message), iterations, budget);
    const dec = time(() => bound.decode(bytes), iterations, budget);
    rows.push({
      codec: codec.name, ...(bound.type ? {type: bound.type} : {}), ...(schema ? {schema} : {}),
      bytes: bytes.length, vsJson: 0, encodeUs: enc.us, decodeUs: dec.us, iterations: Math.min(enc.n, dec.n),
    });
  }
  const json = rows.find((r) => r.codec === 'json')!.bytes;
  for (const r of rows) r.vsJson = Math.round((r.bytes / json) * 100) / 100;
  return {message: opts.message, rows};
}
