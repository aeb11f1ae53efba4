import {Flags} from '@oclif/core';

/**
 * The one set of schema flags of `dial call`, `list`, `describe`, `codec
 * encode|decode|compare` and (through them) the REPL: the same names
 * everywhere. `--schema FILE` takes any schema by its extension; `--proto`
 * and `--protoset` name the protobuf kinds outright. All are separate flags,
 * not oclif aliases: aliases would send `dial call` off its fast path
 * (src/cli/fast-spec.ts refuses them).
 */
export const schemaFlags = {
  schema: Flags.string({
    description: 'Schema file, by its extension (repeatable): .proto, .protoset/.binpb/.pb (descriptor set), .thrift, .avsc',
    multiple: true, multipleNonGreedy: true, helpGroup: 'SCHEMA',
  }),
  proto: Flags.string({description: 'A .proto file (repeatable); call, list and describe then need no server reflection', multiple: true, multipleNonGreedy: true, helpGroup: 'SCHEMA'}),
  'import-path': Flags.string({char: 'I', description: 'Folder that .proto imports are relative to (repeatable; default: the file\'s folder and .)', multiple: true, multipleNonGreedy: true, helpGroup: 'SCHEMA'}),
  protoset: Flags.string({description: 'A FileDescriptorSet file (protoc --descriptor_set_out --include_imports, buf build -o) (repeatable)', multiple: true, multipleNonGreedy: true, helpGroup: 'SCHEMA'}),
};

// What they select (schemaSelection, rpcSchemaFiles ...), in a module without oclif for the fast path.
export * from './schema-selection.js';
