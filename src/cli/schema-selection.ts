import {extname} from 'node:path';
import {usageError} from '../errors/index.js';
import type {SchemaFiles} from '../rpc/file-source.js';

/*
 * What the schema flags of src/cli/schema-flags.ts select, without their oclif
 * definitions: what the commands' logic reads (src/cli/run/call.ts on the
 * fast path too, which must not load @oclif/core for it).
 */
export type SchemaFlagValues = {schema?: string[]; proto?: string[]; 'import-path'?: string[]; protoset?: string[]};

/** The schema flags of one invocation, sorted by kind. */
export interface SchemaSelection {
  proto: string[];
  protosets: string[];
  thrift: string[];
  avro: string[];
  importPaths: string[];
}

const KINDS: Record<string, keyof Omit<SchemaSelection, 'importPaths'>> = {
  '.proto': 'proto', '.protoset': 'protosets', '.binpb': 'protosets', '.pb': 'protosets', '.desc': 'protosets', '.thrift': 'thrift', '.avsc': 'avro',
};

/** Sorts --schema files by extension beside --proto, --protoset and -I; an unknown extension is a usage error. */
export function schemaSelection(f: SchemaFlagValues): SchemaSelection {
  const sel: SchemaSelection = {proto: [...(f.proto ?? [])], protosets: [...(f.protoset ?? [])], thrift: [], avro: [], importPaths: [...(f['import-path'] ?? [])]};
  for (const file of f.schema ?? []) {
    const kind = KINDS[extname(file).toLowerCase()];
    if (!kind) throw usageError(`--schema ${file}: dial cannot tell its kind from the extension`, 'schema files are .proto, .protoset (.binpb, .pb, .desc), .thrift or .avsc; for a .proto by another name use --proto FILE, a descriptor set --protoset FILE');
    sel[kind].push(file);
  }
  return sel;
}

/** The flags that gave each kind of file, for messages. */
const FLAG_OF: Record<keyof SchemaSelection, string> = {
  proto: '--proto/--schema FILE.proto', protosets: '--protoset', thrift: '--schema FILE.thrift', avro: '--schema FILE.avsc', importPaths: '-I/--import-path',
};

function given(sel: SchemaSelection): (keyof SchemaSelection)[] {
  return (Object.keys(FLAG_OF) as (keyof SchemaSelection)[]).filter((k) => sel[k].length > 0);
}

function importPathsNeedFiles(sel: SchemaSelection): void {
  if (sel.importPaths.length && !sel.proto.length && !sel.thrift.length) {
    throw usageError('-I/--import-path applies to .proto imports (and Thrift includes), and no such file was given', 'add --proto FILE (or --schema FILE.proto)');
  }
}

/**
 * The schema files of `dial call`, `list` and `describe`: .proto files and
 * descriptor sets for the gRPC family; Thrift IDL passed on for Thrift
 * calls. `protocol` (dial's canonical name, when known) refuses schema files
 * that protocol cannot use; Avro schemas are refused always (no RPC speaks it).
 */
export function rpcSchemaFiles(f: SchemaFlagValues, command: string, protocol?: string): SchemaFiles | undefined {
  const sel = schemaSelection(f);
  if (sel.avro.length) {
    throw usageError(`--schema ${sel.avro[0]}: Avro schemas apply to dial codec (--codec avro), not to dial ${command}`, `dial ${command} reads .proto files (--proto/--schema FILE.proto, with -I), descriptor sets (--protoset) and, for Thrift services, --schema FILE.thrift`);
  }
  importPathsNeedFiles(sel);
  const kinds = given(sel).filter((k) => k !== 'importPaths');
  if (kinds.length === 0) return undefined;
  if (protocol && ['rest', 'json-rpc', 'xml-rpc', 'soap'].includes(protocol)) {
    throw usageError(`${FLAG_OF[kinds[0]]} makes no sense for a ${protocol} call: it takes no schema file`, protocol === 'soap'
      ? 'SOAP reads its WSDL: --wsdl FILE|URL (default: the instance\'s metadata, or URL?wsdl)'
      : 'schema files apply to gRPC, gRPC-Web and Connect (.proto, --protoset) and to Thrift (--schema FILE.thrift)');
  }
  if (sel.thrift.length && (sel.proto.length || sel.protosets.length)) {
    throw usageError(`--schema ${sel.thrift[0]} (Thrift) cannot go with protobuf schema files`, 'a call speaks one protocol: give the .thrift IDL for a Thrift service, or .proto/--protoset for gRPC');
  }
  if (sel.thrift.length && protocol && protocol !== 'thrift') {
    throw usageError(`--schema ${sel.thrift[0]} is a Thrift IDL, and this ${command} speaks ${protocol}`, `Thrift IDL applies to Thrift services and to dial codec --codec thrift-binary|thrift-compact; for ${protocol} give .proto files (--proto/--schema) or --protoset`);
  }
  return {
    ...(sel.proto.length ? {protoFiles: sel.proto} : {}),
    ...(sel.importPaths.length ? {importPaths: sel.importPaths} : {}),
    ...(sel.protosets.length ? {protosets: sel.protosets} : {}),
    ...(sel.thrift.length ? {thriftFiles: sel.thrift} : {}),
  };
}

/** What the codec commands pass to a codec: its schema files, by kind. */
export interface CodecSchemaFiles {
  file?: string;
  protoFiles?: string[];
  importPaths?: string[];
  protosets?: string[];
}

/** Which schema flags each codec takes, for the refusals. */
const CODEC_TAKES: Record<string, (keyof SchemaSelection)[]> = {
  protobuf: ['proto', 'protosets', 'importPaths'],
  'thrift-binary': ['thrift', 'importPaths'],
  'thrift-compact': ['thrift', 'importPaths'],
  avro: ['avro'],
};

function takesText(codec: string): string {
  const takes = CODEC_TAKES[codec];
  return takes ? `--codec ${codec} takes ${takes.map((k) => FLAG_OF[k]).join(', ')}` : `--codec ${codec} takes no schema`;
}

/**
 * The schema of `dial codec encode|decode` for one codec: every flag given
 * must apply to it, else a usage error says which do. Thrift and Avro take
 * one file; protobuf any number of .proto files and descriptor sets.
 */
export function codecSchemaFiles(f: SchemaFlagValues, codec: string): CodecSchemaFiles | undefined {
  const sel = schemaSelection(f);
  const takes = CODEC_TAKES[codec] ?? [];
  for (const k of given(sel)) {
    if (!takes.includes(k)) {
      const fix = k === 'thrift' ? 'a .thrift IDL is for --codec thrift-binary or thrift-compact'
        : k === 'avro' ? 'an .avsc schema is for --codec avro'
          : '.proto files and descriptor sets are for --codec protobuf';
      throw usageError(`${FLAG_OF[k]} makes no sense for --codec ${codec}: ${takesText(codec)}`, fix);
    }
  }
  importPathsNeedFiles(sel);
  if (codec === 'protobuf') {
    if (!sel.proto.length && !sel.protosets.length) return undefined;
    return {file: sel.proto[0] ?? sel.protosets[0], protoFiles: sel.proto, importPaths: sel.importPaths, protosets: sel.protosets};
  }
  const files = codec === 'avro' ? sel.avro : sel.thrift;
  if (files.length > 1) throw usageError(`--codec ${codec} reads one schema file, got ${files.length}`, 'give the file that defines --type (it may include the others)');
  if (!files.length) return undefined;
  return codec === 'avro' ? {file: files[0]} : {file: files[0], importPaths: sel.importPaths};
}

/**
 * `dial codec compare`: every schema file, each encoded with the codecs of
 * its kind; -I applies to the .proto files and the Thrift includes.
 */
export function compareSchemaFiles(f: SchemaFlagValues): {files: string[]; importPaths: string[]} {
  const sel = schemaSelection(f);
  importPathsNeedFiles(sel);
  return {files: [...sel.proto, ...sel.protosets, ...sel.thrift, ...sel.avro], importPaths: sel.importPaths};
}

/** The Thrift IDL of `dial call`, `list` and `describe` (`--schema FILE.thrift`, includes under -I), or no schema when none was given. */
export function thriftIdl(f: SchemaFlagValues): {schema?: string; importPaths: string[]} {
  const sel = schemaSelection(f);
  if (sel.thrift.length > 1) throw usageError(`a Thrift call reads one IDL file, got ${sel.thrift.length} (${sel.thrift.join(', ')})`, 'give the .thrift file that defines the service (it may include the others, found beside it or under -I)');
  return {schema: sel.thrift[0], importPaths: sel.importPaths};
}
