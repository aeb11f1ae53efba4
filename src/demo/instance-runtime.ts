/**
 * What every demo instance process shares: its identity from the supervisor's
 * environment, self-registration with the cluster registry (and deregistration
 * on a clean stop), the IPC channel to the daemon (exit when it closes), and
 * fault injection (latency, error rate, hang) that `dial instance ...` sets,
 * and the server TLS of a `cluster up --tls` cluster (serverTlsOptions).
 */
import {readFileSync} from 'node:fs';
import type {CheckDefinition} from '../registry/types.js';
import {checkToConsul} from '../registry/consul-json.js';
import {startInstanceMetrics} from './instance-metrics.js';

export interface InstanceIdentity {
  id: string;
  kind: string;
  registryUrl: string;
  token?: string;
  host: string;
  tls?: {caFile: string; certFile: string; keyFile: string};
}

export interface FaultState {
  /** Added latency per request, ms. */
  latencyMs: number;
  /** Fraction of requests that fail with UNAVAILABLE (0..1). */
  errorRate: number;
  /** Never answer (until the caller's deadline). */
  hang: boolean;
}

export const faults: FaultState = {latencyMs: 0, errorRate: 0, hang: false};

export function identity(): InstanceIdentity {
  const env = process.env;
  if (!env.DIAL_INSTANCE_ID || !env.DIAL_REGISTRY_URL) {
    throw new Error('demo instances are started by the dial daemon (DIAL_INSTANCE_ID and DIAL_REGISTRY_URL are unset)');
  }
  return {
    id: env.DIAL_INSTANCE_ID,
    kind: env.DIAL_INSTANCE_KIND ?? 'unknown',
    registryUrl: env.DIAL_REGISTRY_URL,
    token: env.DIAL_TOKEN || undefined,
    host: env.DIAL_INSTANCE_HOST ?? '127.0.0.1',
    tls: env.DIAL_TLS_CA && env.DIAL_TLS_CERT && env.DIAL_TLS_KEY
      ? {caFile: env.DIAL_TLS_CA, certFile: env.DIAL_TLS_CERT, keyFile: env.DIAL_TLS_KEY}
      : undefined,
  };
}

/** The cluster's TLS material for this instance (`dial cluster up --tls`), read once; undefined in a plaintext cluster. */
export function tlsMaterial(me: InstanceIdentity): {ca: Buffer; cert: Buffer; key: Buffer} | undefined {
  if (!me.tls) return undefined;
  return {ca: readFileSync(me.tls.caFile), cert: readFileSync(me.tls.certFile), key: readFileSync(me.tls.keyFile)};
}

/**
 * Server TLS options for node's https, http2 and tls servers: the instance's
 * certificate, and client certificates from the cluster CA required (mutual
 * TLS). Undefined in a plaintext cluster:
 * `const tls = serverTlsOptions(me); tls ? https.createServer(tls, handler) : http.createServer(handler)`.
 */
export function serverTlsOptions(me: InstanceIdentity): {ca: Buffer; cert: Buffer; key: Buffer; requestCert: true; rejectUnauthorized: true} | undefined {
  const m = tlsMaterial(me);
  return m ? {...m, requestCert: true, rejectUnauthorized: true} : undefined;
}

export function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${process.env.DIAL_INSTANCE_ID ?? ''} ${line}\n`);
}

export interface SelfRegistration {
  name: string;
  port: number;
  protocol: string;
  codec: string;
  weight?: number;
  tags?: string[];
  meta?: Record<string, string>;
  check: CheckDefinition;
}

async function registryRequest(me: InstanceIdentity, method: string, path: string, body?: unknown): Promise<void> {
  const {request, Agent} = await import('undici');
  const tls = tlsMaterial(me);
  const dispatcher = tls ? new Agent({connect: tls}) : undefined;
  const res = await request(new URL(path, me.registryUrl), {
    method: method as 'PUT',
    headers: {'content-type': 'application/json', ...(me.token ? {'x-consul-token': me.token} : {})},
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher,
  });
  const text = await res.body.text();
  await dispatcher?.close();
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${res.statusCode} ${text}`);
}

/**
 * Registers this instance (ID = instance id) with its protocol and codec in
 * metadata, after starting its /metrics endpoint (metadata `metrics_port`).
 */
export async function registerSelf(me: InstanceIdentity, reg: SelfRegistration): Promise<void> {
  const weight = reg.weight ?? Number(process.env.DIAL_INSTANCE_WEIGHT ?? 1);
  const metricsPort = await startInstanceMetrics({
    id: me.id, kind: me.kind, service: reg.name, protocol: reg.protocol, host: me.host,
    checkPath: reg.check.http ? new URL(reg.check.http).pathname : undefined,
    faults: () => faults, log,
  });
  await registryRequest(me, 'PUT', '/v1/agent/service/register', {
    ID: me.id,
    Name: reg.name,
    Address: me.host,
    Port: reg.port,
    Tags: ['demo', reg.protocol, ...(reg.tags ?? [])],
    Meta: {protocol: reg.protocol, codec: reg.codec, weight: String(weight), instance: me.id, pid: String(process.pid), metrics_port: String(metricsPort), ...reg.meta},
    Weights: {Passing: weight, Warning: 1},
    Checks: [checkToConsul(reg.check)],
  });
}

export async function deregisterSelf(me: InstanceIdentity): Promise<void> {
  await registryRequest(me, 'PUT', `/v1/agent/service/deregister/${encodeURIComponent(me.id)}`);
}

/**
 * Wires the process to the daemon: 'ready' over IPC, fault messages, exit
 * when the IPC channel closes, deregistration and `stop()` on SIGTERM/SIGINT.
 */
export function runInstance(me: InstanceIdentity, port: number, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log(`stopping (${why})`);
    const hard = setTimeout(() => process.exit(0), 2000);
    hard.unref();
    if (why !== 'daemon gone') await deregisterSelf(me).catch((e: Error) => log(`deregister failed: ${e.message}`));
    await stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('disconnect', () => void shutdown('daemon gone'));
  process.on('message', (m: {type?: string} & Partial<FaultState>) => {
    if (m?.type === 'fault') {
      if (typeof m.latencyMs === 'number') faults.latencyMs = m.latencyMs;
      if (typeof m.errorRate === 'number') faults.errorRate = m.errorRate;
      if (typeof m.hang === 'boolean') faults.hang = m.hang;
      log(`faults now ${JSON.stringify(faults)}`);
    } else if (m?.type === 'heal') {
      Object.assign(faults, {latencyMs: 0, errorRate: 0, hang: false});
      log('faults cleared');
    }
  });
  process.send?.({type: 'ready', port});
  log(`ready on ${me.host}:${port}`);
}

/** Applies injected faults before a request is served: resolves 'ok', 'error' or never (hang). */
export async function applyFaults(): Promise<'ok' | 'error'> {
  if (faults.hang) await new Promise(() => undefined);
  if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
  return faults.errorRate > 0 && Math.random() < faults.errorRate ? 'error' : 'ok';
}
