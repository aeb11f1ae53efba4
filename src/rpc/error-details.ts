import {createFileRegistry, fromBinary, toJson, type FileRegistry, type JsonValue} from '@bufbuild/protobuf';
import type {ConnectError} from '@connectrpc/connect';
import type {DescriptorSource} from './descriptor-source.js';

/**
 * Decodes the details of a gRPC error (google.rpc.Status in
 * grpc-status-details-bin, which connect parses into typed Any values) to JSON
 * with "@type", as the proto3 JSON mapping writes an Any. Types come from the
 * call's schema, the built-in google.rpc error details, or the server's
 * reflection; an unknown type is shown with its raw bytes (base64).
 */
export async function decodeErrorDetails(err: ConnectError, registry: FileRegistry, source?: DescriptorSource): Promise<JsonValue[]> {
  if (err.details.length === 0) return [];
  const {file_google_rpc_error_details} = await import('../gen/google/rpc/error_details_pb.js');
  const builtIn = createFileRegistry(file_google_rpc_error_details.proto, (name) => file_google_rpc_error_details.dependencies.find((d) => d.proto.name === name));
  const out: JsonValue[] = [];
  for (const d of err.details) {
    if (!('value' in d) || !(d.value instanceof Uint8Array) || !('type' in d)) continue;
    const type = d.type;
    let desc = registry.getMessage(type) ?? builtIn.getMessage(type);
    if (!desc && source) {
      desc = await source.registryFor([type]).then((r) => r.getMessage(type), () => undefined);
    }
    if (!desc) {
      out.push({'@type': `type.googleapis.com/${type}`, value: Buffer.from(d.value).toString('base64')});
      continue;
    }
    try {
      const json = toJson(desc, fromBinary(desc, d.value), {registry: createFileRegistry(registry, builtIn)});
      out.push(json !== null && typeof json === 'object' && !Array.isArray(json) ? {'@type': `type.googleapis.com/${type}`, ...json} : {'@type': `type.googleapis.com/${type}`, value: json});
    } catch {
      out.push({'@type': `type.googleapis.com/${type}`, value: Buffer.from(d.value).toString('base64')});
    }
  }
  return out;
}
