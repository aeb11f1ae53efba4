/**
 * Demo instance: helloworld.Greeter over gRPC (@grpc/grpc-js), with server
 * reflection (v1 and v1alpha) and the standard grpc.health.v1 service. Started
 * by the cluster daemon; registers itself as service "greeter", protocol grpc.
 */
import {create} from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import {HealthImplementation} from 'grpc-health-check';
import {file_grpc_health_v1_health} from '../../gen/grpc/health/v1/health_pb.js';
import {Greeter, HelloReplySchema, type HelloRequest, file_helloworld_helloworld} from '../../gen/helloworld/helloworld_pb.js';
import {addReflection, grpcServiceDefinition, metricsInterceptor} from '../grpc-kit/index.js';
import {applyFaults, identity, log, registerSelf, runInstance, tlsMaterial} from '../instance-runtime.js';
import {greeting} from './greeting.js';

const me = identity();
const reply = (name: string, suffix = '') => create(HelloReplySchema, {message: greeting(name) + suffix, instance: me.id});

function injectedError(): grpc.ServiceError {
  return Object.assign(new Error('injected fault'), {code: grpc.status.UNAVAILABLE, details: `injected fault on ${me.id}`, metadata: new grpc.Metadata()});
}

const server = new grpc.Server({interceptors: [metricsInterceptor(log)]});
server.addService(grpcServiceDefinition(Greeter), {
  sayHello: async (call: grpc.ServerUnaryCall<HelloRequest, unknown>, cb: grpc.sendUnaryData<unknown>) => {
    if ((await applyFaults()) === 'error') return cb(injectedError());
    cb(null, reply(call.request.name));
  },
  sayHelloStreamReply: async (call: grpc.ServerWritableStream<HelloRequest, unknown>) => {
    if ((await applyFaults()) === 'error') return call.destroy(injectedError());
    const n = call.request.count > 0 ? call.request.count : 3;
    for (let i = 1; i <= n && !call.cancelled; i++) {
      if (!call.write(reply(call.request.name, ` (${i}/${n})`))) await new Promise((r) => call.once('drain', r));
    }
    call.end();
  },
  sayHelloBidiStream: (call: grpc.ServerDuplexStream<HelloRequest, unknown>) => {
    call.on('data', (req: HelloRequest) => call.write(reply(req.name)));
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  },
});

const health = new HealthImplementation({'': 'SERVING', [Greeter.typeName]: 'SERVING'});
health.addToServer(server);
addReflection(server, [file_helloworld_helloworld, file_grpc_health_v1_health]);

const tls = tlsMaterial(me);
const creds = tls
  ? grpc.ServerCredentials.createSsl(tls.ca, [{private_key: tls.key, cert_chain: tls.cert}], true)
  : grpc.ServerCredentials.createInsecure();

server.bindAsync(`${me.host}:${process.env.DIAL_INSTANCE_PORT ?? 0}`, creds, (err, port) => {
  if (err) {
    log(`bind failed: ${err.message}`);
    process.exit(1);
  }
  registerSelf(me, {
    name: 'greeter',
    port,
    protocol: 'grpc',
    codec: 'protobuf',
    check: {grpc: `${me.host}:${port}`, grpcUseTls: Boolean(me.tls), interval: '1s', timeout: '1s'},
  })
    .then(() => runInstance(me, port, () => new Promise<void>((resolve) => {
      health.setStatus('', 'NOT_SERVING');
      const force = setTimeout(() => server.forceShutdown(), 300);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    })))
    .catch((e: Error) => {
      log(`registration failed: ${e.message}`);
      process.exit(1);
    });
});
