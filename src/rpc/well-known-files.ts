import type {DescFile} from '@bufbuild/protobuf';
import {
  file_google_protobuf_any, file_google_protobuf_api, file_google_protobuf_descriptor, file_google_protobuf_duration,
  file_google_protobuf_empty, file_google_protobuf_field_mask, file_google_protobuf_source_context,
  file_google_protobuf_struct, file_google_protobuf_timestamp, file_google_protobuf_type, file_google_protobuf_wrappers,
} from '@bufbuild/protobuf/wkt';

/**
 * google/protobuf/*.proto files, built in. Used when a server's reflection
 * omits them (some implementations do), so calls still work.
 */
export const WELL_KNOWN_FILES: ReadonlyMap<string, DescFile> = new Map(
  [
    file_google_protobuf_any, file_google_protobuf_api, file_google_protobuf_descriptor, file_google_protobuf_duration,
    file_google_protobuf_empty, file_google_protobuf_field_mask, file_google_protobuf_source_context,
    file_google_protobuf_struct, file_google_protobuf_timestamp, file_google_protobuf_type, file_google_protobuf_wrappers,
  ].map((f) => [f.proto.name, f]),
);
