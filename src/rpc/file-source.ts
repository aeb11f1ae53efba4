import {readFile} from 'node:fs/promises';
import {createFileRegistry, fromBinary, type FileRegistry} from '@bufbuild/protobuf';
import {FileDescriptorSetSchema, type FileDescriptorProto} from '@bufbuild/protobuf/wkt';
import {DialError, ExitCode} from '../errors/index.js';
import type {DescriptorSource} from './descriptor-source.js';
import {symbolNotFound} from './symbols.js';
import {WELL_KNOWN_FILES} from './well-known-files.js';

/** Schema files given on the command line instead of server reflection. */
export interface SchemaFiles {
  /** --proto FILE (several). */
  protoFiles?: string[];
  /** --import-path DIR (several); default: each file's folder and the current folder. */
  importPaths?: string[];
  /** --protoset FILE (several): FileDescriptorSets as `protoc --descriptor_set_out --include_imports` writes them. */
  protosets?: string[];
  /** --schema FILE.thrift: a Thrift IDL, for Thrift calls (the gRPC family refuses it). */
  thriftFiles?: string[];
}

export function hasSchemaFiles(s: SchemaFiles | undefined): s is SchemaFiles {
  return Boolean(s?.protoFiles?.length || s?.protosets?.length);
}

async function readProtoset(file: string): Promise<FileDescriptorProto[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new DialError('USAGE', `cannot read protoset '${file}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, {exitCode: ExitCode.Usage});
  }
  try {
    const set = fromBinary(FileDescriptorSetSchema, bytes);
    if (set.file.length === 0 || set.file.some((f) => !f.name)) throw new Error('no named files in it');
    return set.file;
  } catch (e) {
    throw new DialError('BAD_PROTOSET', `'${file}' is not a FileDescriptorSet (${(e as Error).message})`, {
      hint: 'build one with: protoc --include_imports --descriptor_set_out=FILE.protoset -I DIR FILE.proto (or buf build -o FILE.binpb)',
      exitCode: ExitCode.Usage,
    });
  }
}

/**
 * A descriptor source from .proto files (compiled in-process) and/or protosets.
 * Imports missing from a protoset fall back to the built-in well-known types.
 */
export class FileSource implements DescriptorSource {
  private constructor(readonly description: string, private readonly registry: FileRegistry, private readonly own: Set<string>) {}

  static async load(s: SchemaFiles): Promise<FileSource> {
    const files = new Map<string, FileDescriptorProto>();
    const origin = new Map<string, string>();
    for (const set of s.protosets ?? []) {
      for (const f of await readProtoset(set)) {
        if (!files.has(f.name)) files.set(f.name, f);
        origin.set(f.name, set);
      }
    }
    if (s.protoFiles?.length) {
      const {compileProtoFiles} = await import('./proto-compiler.js');
      for (const f of await compileProtoFiles(s.protoFiles, s.importPaths ?? [])) if (!files.has(f.name)) files.set(f.name, f);
    }
    for (const f of files.values()) {
      for (const dep of f.dependency) {
        if (!files.has(dep) && !WELL_KNOWN_FILES.has(dep)) {
          throw new DialError('MISSING_IMPORT', `'${f.name}'${origin.has(f.name) ? ` in ${origin.get(f.name)}` : ''} imports '${dep}', which is not in the schema files`, {
            hint: 'build the protoset with --include_imports, or pass the missing file too (--protoset or --proto with --import-path)',
            exitCode: ExitCode.Usage,
          });
        }
      }
    }
    const resolve = (name: string) => files.get(name) ?? WELL_KNOWN_FILES.get(name);
    let registry: FileRegistry;
    try {
      registry = createFileRegistry(...[...files.values()].map((f) => createFileRegistry(f, resolve)));
    } catch (e) {
      throw new DialError('PROTO_ERROR', `the schema files do not fit together: ${(e as Error).message}`, {exitCode: ExitCode.Usage});
    }
    const names = [...(s.protoFiles ?? []), ...(s.protosets ?? [])];
    return new FileSource(`${names.join(', ')}`, registry, new Set(files.keys()));
  }

  async listServices(): Promise<string[]> {
    const out: string[] = [];
    for (const f of this.registry.files) if (this.own.has(f.proto.name)) for (const s of f.services) out.push(s.typeName);
    return out.sort();
  }

  async registryFor(symbols: string[]): Promise<FileRegistry> {
    for (const s of symbols) {
      if (!this.registry.get(s) && !this.registry.getService(s) && !this.registry.getFile(s)) throw symbolNotFound(s, this.description, this.registry);
    }
    return this.registry;
  }

  async close(): Promise<void> {}
}
