import {readFileSync} from 'node:fs';
import {homePaths} from '../../config/index.js';
import {DialError, ExitCode} from '../../errors/index.js';
import {RegistryServer} from '../../registry/server/index.js';
import {defaultInstanceSpecs} from '../instance-kinds.js';
import {acquirePidFile, readPid, releasePidFile} from '../pidfile.js';
import {Supervisor} from '../supervisor.js';
import type {DaemonConfig} from './config.js';

export interface RunningDaemon {
  port: number;
  server: RegistryServer;
  supervisor: Supervisor;
  stop(): Promise<void>;
}

/** Starts the registry server and the demo instances; throws DialError when it cannot. */
export async function runDaemon(config: DaemonConfig, log: (line: string) => void): Promise<RunningDaemon> {
  const paths = homePaths(config.home);
  if (!acquirePidFile(paths.pidFile)) {
    throw new DialError('CLUSTER_ALREADY_RUNNING', `a cluster daemon (pid ${readPid(paths.pidFile)}) already runs in ${config.home}`, {
      hint: "use 'dial cluster status', or 'dial cluster down' first",
    });
  }
  const startedAt = new Date().toISOString();
  const tlsFiles = config.tls;
  const clientTls = tlsFiles
    ? {ca: readFileSync(tlsFiles.caFile), cert: readFileSync(tlsFiles.certFile), key: readFileSync(tlsFiles.keyFile)}
    : undefined;
  const specs = defaultInstanceSpecs(config.instances);
  const started: {supervisor?: Supervisor} = {};
  const server: RegistryServer = new RegistryServer({
    dbPath: paths.stateDb,
    host: config.host,
    port: config.port,
    tls: clientTls ? {key: clientTls.key, cert: clientTls.cert, ca: clientTls.ca, requestCert: true} : undefined,
    health: {
      tls: clientTls,
      onChange: (check, status, output) => log(`check ${check.id} ${check.status} -> ${status}: ${output}`),
      onReap: (id) => log(`deregistered ${id}: critical longer than DeregisterCriticalServiceAfter`),
    },
    status: (): unknown => {
      const instances = started.supervisor?.list() ?? [];
      const ready: boolean = instances.length === specs.length ? instances.every((i) => i.state === 'ready' && passing(i.id)) : false;
      return {pid: process.pid, startedAt, home: config.home, ready, instances};
    },
  });
  const passing = (id: string): boolean => {
    const checks = server.store.listChecks(id);
    return checks.length > 0 && checks.every((c) => c.status === 'passing');
  };
  let address;
  try {
    address = await server.listen();
  } catch (e) {
    releasePidFile(paths.pidFile);
    await server.close().catch(() => undefined);
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new DialError('PORT_IN_USE', `port ${config.port} on ${config.host} is already in use`, {
        hint: `pick another with 'dial cluster up --port N' (0 = any free port), or stop what listens there`,
        exitCode: ExitCode.Failed,
      });
    }
    throw e;
  }
  const scheme = config.tls ? 'https' : 'http';
  const token = config.tokenFile ? readFileSync(config.tokenFile, 'utf8').trim() : undefined;
  const supervisor = new Supervisor(
    paths.instancesDir,
    {
      DIAL_HOME: config.home,
      DIAL_REGISTRY_URL: `${scheme}://${config.host}:${address.port}`,
      ...(token ? {DIAL_TOKEN: token} : {}),
      ...(tlsFiles ? {DIAL_TLS_CA: tlsFiles.caFile, DIAL_TLS_CERT: tlsFiles.certFile, DIAL_TLS_KEY: tlsFiles.keyFile} : {}),
    },
    (e) => log(`instance ${e.id} ${e.event}${e.detail ? ` (${e.detail})` : ''}`),
  );
  started.supervisor = supervisor;
  for (const spec of specs) supervisor.start(spec);
  const sup = supervisor;
  return {
    port: address.port,
    server,
    supervisor: sup,
    async stop() {
      await sup.stopAll();
      await server.close();
      releasePidFile(paths.pidFile);
    },
  };
}
