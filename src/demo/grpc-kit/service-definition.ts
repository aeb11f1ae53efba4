import {fromBinary, toBinary, type DescMessage, type DescService, type MessageShape} from '@bufbuild/protobuf';
import type * as grpc from '@grpc/grpc-js';

/**
 * A @grpc/grpc-js ServiceDefinition built from a @bufbuild/protobuf service
 * descriptor, so demo servers use the same compiled schemas that their
 * reflection serves (no second .proto loader that could disagree).
 */
export function grpcServiceDefinition(service: DescService): grpc.ServiceDefinition {
  const def: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const m of service.methods) {
    def[m.localName] = {
      path: `/${service.typeName}/${m.name}`,
      requestStream: m.methodKind === 'client_streaming' || m.methodKind === 'bidi_streaming',
      responseStream: m.methodKind === 'server_streaming' || m.methodKind === 'bidi_streaming',
      requestSerialize: serializer(m.input),
      requestDeserialize: deserializer(m.input),
      responseSerialize: serializer(m.output),
      responseDeserialize: deserializer(m.output),
      originalName: m.name,
    };
  }
  return def as grpc.ServiceDefinition;
}

function serializer(desc: DescMessage) {
  return (value: unknown) => Buffer.from(toBinary(desc, value as MessageShape<DescMessage>));
}

function deserializer(desc: DescMessage) {
  return (bytes: Buffer) => fromBinary(desc, bytes);
}
