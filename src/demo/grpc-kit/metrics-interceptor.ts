import * as grpc from '@grpc/grpc-js';
import {grpcStatusName} from '../../errors/index.js';
import {parseTraceparent} from '../../metrics/trace.js';
import {instanceRequestMetrics} from '../instance-metrics.js';

/**
 * A grpc-js server interceptor for demo instances: counts and times every
 * RPC (method, status) for /metrics, counts grpc.health.v1 calls as health
 * probes, and logs each call that carries a W3C traceparent with its trace id.
 * Use: new grpc.Server({interceptors: [metricsInterceptor(log)]}).
 */
export function metricsInterceptor(log: (line: string) => void): grpc.ServerInterceptor {
  const metrics = instanceRequestMetrics();
  return (descriptor, call) => {
    const method = descriptor.path.replace(/^\//, '');
    const probe = method.startsWith('grpc.health.v1.');
    const bidi = descriptor.requestStream && descriptor.responseStream;
    const started = performance.now();
    const done = probe ? undefined : metrics.start(method);
    let traceparent: string | undefined;
    let finished = false;
    const finish = (code: string) => {
      if (finished) return;
      finished = true;
      if (probe) metrics.probe(code === 'OK' ? 'ok' : 'error');
      else done?.(code, {timed: !bidi});
      const trace = parseTraceparent(traceparent);
      if (trace) log(`trace=${trace.traceId} span=${trace.spanId} ${method} ${code} ${(performance.now() - started).toFixed(1)}ms`);
    };
    return new grpc.ServerInterceptingCall(call, {
      start: (next) => next({
        onReceiveMetadata: (md, nextMd) => {
          traceparent = md.get('traceparent').map(String)[0];
          nextMd(md);
        },
        onCancel: () => finish('CANCELLED'),
      }),
      sendStatus: (status, next) => {
        finish(grpcStatusName(status.code));
        next(status);
      },
    });
  };
}
