import type {DescFile} from '@bufbuild/protobuf';
import {Code, ConnectError, type ConnectRouter, type Interceptor} from '@connectrpc/connect';
import {grpcStatusName} from '../../errors/index.js';
import {Health, HealthCheckResponse_ServingStatus as Serving} from '../../gen/grpc/health/v1/health_pb.js';
import {ServerReflection as V1, type ServerReflectionRequest} from '../../gen/grpc/reflection/v1/reflection_pb.js';
import {ServerReflection as V1Alpha} from '../../gen/grpc/reflection/v1alpha/reflection_pb.js';
import {parseTraceparent} from '../../metrics/trace.js';
import {instanceRequestMetrics} from '../instance-metrics.js';
import {reflectionIndex} from './reflection-service.js';

/**
 * Server reflection (v1 and v1alpha) on a connect-es router, answering from
 * the compiled descriptors of `files` (and everything they import).
 */
export function addConnectReflection(router: ConnectRouter, files: DescFile[]): void {
  const index = reflectionIndex(files);
  for (const svc of [V1, V1Alpha]) {
    router.service(svc, {
      async *serverReflectionInfo(requests: AsyncIterable<ServerReflectionRequest>) {
        for await (const req of requests) yield index.answer(req, svc.method.serverReflectionInfo.output);
      },
    } as never);
  }
}

/** grpc.health.v1 (Check, Watch, List) on a connect-es router; serving() flips the status of every service. */
export function addConnectHealth(router: ConnectRouter, services: string[]): {serving(on: boolean): void} {
  let status = Serving.SERVING;
  const known = new Set(['', ...services]);
  const watchers = new Set<() => void>();
  const check = (service: string) => {
    if (!known.has(service)) throw new ConnectError(`unknown service ${service}`, Code.NotFound);
    return {status};
  };
  router.service(Health, {
    check: (req) => check(req.service),
    async *watch(req, ctx) {
      let last: Serving | undefined;
      while (!ctx.signal.aborted) {
        const now = known.has(req.service) ? status : Serving.SERVICE_UNKNOWN;
        if (now !== last) yield {status: (last = now)};
        await new Promise<void>((resolve) => {
          const wake = () => {
            watchers.delete(wake);
            resolve();
          };
          watchers.add(wake);
          ctx.signal.addEventListener('abort', wake, {once: true});
        });
      }
    },
    list: () => ({statuses: Object.fromEntries([...known].map((s) => [s, {status}]))}),
  });
  return {
    serving(on) {
      status = on ? Serving.SERVING : Serving.NOT_SERVING;
      for (const w of [...watchers]) w();
    },
  };
}

/**
 * A connect-es server interceptor for demo instances: counts and times each
 * RPC for /metrics (health checks as probes) and logs calls that carry a W3C
 * traceparent, like grpc-kit's metricsInterceptor does for grpc-js.
 */
export function connectMetricsInterceptor(log: (line: string) => void): Interceptor {
  const metrics = instanceRequestMetrics();
  return (next) => async (req) => {
    const method = `${req.service.typeName}/${req.method.name}`;
    const probe = req.service.typeName === 'grpc.health.v1.Health';
    const started = performance.now();
    const done = probe ? undefined : metrics.start(method);
    const finish = (code: string) => {
      if (probe) metrics.probe(code === 'OK' ? 'ok' : 'error');
      else done?.(code, {timed: req.method.methodKind === 'unary'});
      const trace = parseTraceparent(req.header.get('traceparent') ?? undefined);
      if (trace) log(`trace=${trace.traceId} span=${trace.spanId} ${method} ${code} ${(performance.now() - started).toFixed(1)}ms`);
    };
    try {
      const res = await next(req);
      finish('OK');
      return res;
    } catch (e) {
      finish(grpcStatusName(ConnectError.from(e).code));
      throw e;
    }
  };
}
