/**
 * Demo instance: showcase.v1.Showcase (every call kind, WKTs, Any, oneofs,
 * maps, enums, 64-bit integers, bytes, rich error details) served by
 * connect-node over gRPC, gRPC-Web and Connect on one port (HTTP/2 and
 * HTTP/1.1), with server reflection and grpc.health.v1. Registers as service
 * "showcase", protocol grpc, protocols grpc,grpc-web,connect.
 */
import {readFileSync} from 'node:fs';
import {connectNodeAdapter} from '@connectrpc/connect-node';
import {file_google_rpc_error_details} from '../../gen/google/rpc/error_details_pb.js';
import {file_grpc_health_v1_health} from '../../gen/grpc/health/v1/health_pb.js';
import {file_showcase_v1_notes} from '../../gen/showcase/v1/notes_pb.js';
import {Showcase, file_showcase_v1_showcase} from '../../gen/showcase/v1/showcase_pb.js';
import {addConnectHealth, addConnectReflection, connectMetricsInterceptor, listenOnePort} from '../grpc-kit/index.js';
import {applyFaults, identity, log, registerSelf, runInstance} from '../instance-runtime.js';
import {addShowcase} from './service.js';

const me = identity();
let health: {serving(on: boolean): void} | undefined;
const handler = connectNodeAdapter({
  interceptors: [connectMetricsInterceptor(log)],
  routes: (router) => {
    addShowcase(router, {instance: me.id, before: applyFaults});
    health = addConnectHealth(router, [Showcase.typeName]);
    addConnectReflection(router, [file_showcase_v1_showcase, file_showcase_v1_notes, file_google_rpc_error_details, file_grpc_health_v1_health]);
  },
});

const tls = me.tls ? {key: readFileSync(me.tls.keyFile), cert: readFileSync(me.tls.certFile), ca: readFileSync(me.tls.caFile)} : undefined;
listenOnePort(handler, {host: me.host, port: Number(process.env.DIAL_INSTANCE_PORT ?? 0), tls})
  .then(async (server) => {
    await registerSelf(me, {
      name: 'showcase',
      port: server.port,
      protocol: 'grpc',
      codec: 'protobuf',
      tags: ['grpc-web', 'connect'],
      meta: {protocols: 'grpc,grpc-web,connect'},
      check: {grpc: `${me.host}:${server.port}`, grpcUseTls: Boolean(me.tls), interval: '1s', timeout: '1s'},
    });
    runInstance(me, server.port, async () => {
      health?.serving(false);
      await server.close();
    });
  })
  .catch((e: Error) => {
    log(`start failed: ${e.message}`);
    process.exit(1);
  });
