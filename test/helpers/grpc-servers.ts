import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {DescFile} from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {connectNodeAdapter} from '@connectrpc/connect-node';
import {file_google_rpc_error_details} from '../../src/gen/google/rpc/error_details_pb.js';
import {file_grpc_health_v1_health} from '../../src/gen/grpc/health/v1/health_pb.js';
import {Greeter, HelloReplySchema, type HelloRequest, file_helloworld_helloworld} from '../../src/gen/helloworld/helloworld_pb.js';
import {file_showcase_v1_notes} from '../../src/gen/showcase/v1/notes_pb.js';
import {file_showcase_v1_showcase} from '../../src/gen/showcase/v1/showcase_pb.js';
import {ServerReflection as V1, type ServerReflectionRequest} from '../../src/gen/grpc/reflection/v1/reflection_pb.js';
import {ServerReflection as V1Alpha} from '../../src/gen/grpc/reflection/v1alpha/reflection_pb.js';
import {addConnectHealth, addConnectReflection, grpcServiceDefinition, listenOnePort, reflectionIndex, type ReflectionIndex} from '../../src/demo/grpc-kit/index.js';
import {addShowcase} from '../../src/demo/showcase/service.js';
import {create, fromBinary} from '@bufbuild/protobuf';
import {FileDescriptorProtoSchema} from '@bufbuild/protobuf/wkt';
import {ROOT} from './cli.js';

export interface RunningServer {
  port: number;
  /** HOST:PORT (or unix:PATH). */
  address: string;
  close(): Promise<void>;
}

/** The showcase service in-process (connect-node: gRPC, gRPC-Web and Connect on one port), with reflection. */
export async function startShowcase(tls?: {key: Buffer; cert: Buffer; ca: Buffer}): Promise<RunningServer> {
  const handler = connectNodeAdapter({
    routes: (router) => {
      addShowcase(router, {instance: 'test-showcase'});
      addConnectHealth(router, ['showcase.v1.Showcase']);
      addConnectReflection(router, [file_showcase_v1_showcase, file_showcase_v1_notes, file_google_rpc_error_details, file_grpc_health_v1_health]);
    },
  });
  const s = await listenOnePort(handler, {host: '127.0.0.1', port: 0, tls});
  return {port: s.port, address: `127.0.0.1:${s.port}`, close: () => s.close()};
}

export type ReflectionMode = 'full' | 'none' | 'v1alpha-only' | 'no-wkt-files';

/**
 * helloworld.Greeter on @grpc/grpc-js, with reflection as asked: complete,
 * none, only the old v1alpha service, or omitting google/protobuf files (as
 * some servers do). Listens on 127.0.0.1:0, or on a unix socket.
 */
export async function startGrpcJsGreeter(opts: {reflection?: ReflectionMode; unix?: boolean; tls?: {key: Buffer; cert: Buffer}} = {}): Promise<RunningServer & {socket?: string}> {
  const server = new grpc.Server();
  server.addService(grpcServiceDefinition(Greeter), {
    sayHello: (call: grpc.ServerUnaryCall<HelloRequest, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, create(HelloReplySchema, {message: `Hello, ${call.request.name}!`, instance: 'grpc-js'})),
    sayHelloStreamReply: (call: grpc.ServerWritableStream<HelloRequest, unknown>) => {
      for (let i = 1; i <= (call.request.count || 3); i++) call.write(create(HelloReplySchema, {message: `Hello, ${call.request.name}! (${i})`}));
      call.end();
    },
    sayHelloBidiStream: (call: grpc.ServerDuplexStream<HelloRequest, unknown>) => {
      call.on('data', (r: HelloRequest) => call.write(create(HelloReplySchema, {message: `Hello, ${r.name}!`})));
      call.on('end', () => call.end());
    },
  });
  // The showcase schema too (descriptors only): it imports well-known types, which the 'no-wkt-files' mode leaves out.
  addTestReflection(server, [file_helloworld_helloworld, file_showcase_v1_showcase], opts.reflection ?? 'full');
  const socket = opts.unix ? join(mkdtempSync(join(tmpdir(), 'dial-sock-')), 'greeter.sock') : undefined;
  const creds = opts.tls ? grpc.ServerCredentials.createSsl(null, [{private_key: opts.tls.key, cert_chain: opts.tls.cert}], false) : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) => server.bindAsync(socket ? `unix:${socket}` : '127.0.0.1:0', creds, (e, p) => (e ? reject(e) : resolve(p))));
  return {port, socket, address: socket ? `unix:${socket}` : `127.0.0.1:${port}`, close: () => new Promise((r) => server.tryShutdown(() => r()))};
}

function addTestReflection(server: grpc.Server, files: DescFile[], mode: ReflectionMode): void {
  if (mode === 'none') return;
  const index = reflectionIndex(files);
  const services = mode === 'v1alpha-only' ? [V1Alpha] : [V1, V1Alpha];
  for (const svc of services) {
    server.addService(grpcServiceDefinition(svc), {
      serverReflectionInfo: (call: grpc.ServerDuplexStream<ServerReflectionRequest, unknown>) => {
        call.on('data', (req: ServerReflectionRequest) => {
          const res = index.answer(req, svc.method.serverReflectionInfo.output) as ReturnType<ReflectionIndex["answer"]>;
          if (mode === 'no-wkt-files' && res.messageResponse.case === 'fileDescriptorResponse') {
            // Like servers that send only their own files: drop google/protobuf/* from every answer.
            res.messageResponse.value.fileDescriptorProto = res.messageResponse.value.fileDescriptorProto.filter((b) => !fromBinary(FileDescriptorProtoSchema, b).name.startsWith('google/protobuf/'));
          }
          if (mode === 'no-wkt-files' && req.messageRequest.case === 'fileByFilename' && req.messageRequest.value.startsWith('google/protobuf/')) {
            call.write({...res, messageResponse: {case: 'errorResponse', value: {errorCode: 5, errorMessage: 'not found'}}});
            return;
          }
          call.write(res);
        });
        call.on('end', () => call.end());
      },
    });
  }
}

/** The interop fixture (test/fixtures/proto/interop) on @grpc/grpc-js + @grpc/proto-loader, with @grpc/reflection: an implementation independent of dial's. */
export async function startInteropServer(): Promise<RunningServer> {
  const protoDir = join(ROOT, 'test', 'fixtures', 'proto');
  const def = protoLoader.loadSync('interop/interop.proto', {includeDirs: [protoDir], keepCase: false, longs: String, enums: String, defaults: false, oneofs: true});
  const pkg = grpc.loadPackageDefinition(def) as unknown as {interop: {v1: {Lab: {service: grpc.ServiceDefinition}}}};
  const server = new grpc.Server();
  type Sample = {name?: string; big?: string};
  server.addService(pkg.interop.v1.Lab.service, {
    mirror: (call: grpc.ServerUnaryCall<Sample, Sample>, cb: grpc.sendUnaryData<Sample>) => cb(null, call.request),
    repeat: (call: grpc.ServerWritableStream<{sample: Sample; times: number}, Sample>) => {
      for (let i = 0; i < call.request.times; i++) call.write({...call.request.sample, name: `${call.request.sample?.name ?? ''}#${i + 1}`});
      call.end();
    },
    collect: (call: grpc.ServerReadableStream<Sample, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const names: string[] = [];
      let total = 0n;
      call.on('data', (s: Sample) => {
        names.push(s.name ?? '');
        total += BigInt(s.big ?? '0');
      });
      call.on('end', () => cb(null, {count: names.length, names, total: total.toString()}));
    },
    pingPong: (call: grpc.ServerDuplexStream<Sample, Sample>) => {
      call.on('data', (s: Sample) => call.write({...s, name: `pong ${s.name}`}));
      call.on('end', () => call.end());
    },
    nothing: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, {}),
  });
  const {ReflectionService} = await import('@grpc/reflection');
  new ReflectionService(def).addToServer(server);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return {port, address: `127.0.0.1:${port}`, close: () => new Promise((r) => server.tryShutdown(() => r()))};
}
