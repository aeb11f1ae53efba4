/**
 * One 2PC/3PC process (the coordinator or a participant) as a real child of
 * the cluster daemon: its own durable log file, an HTTP server on loopback
 * for protocol messages (POST /msg) and for the daemon's control calls
 * (/ctl/...), and the same ProcessHost and state machines as the simulator.
 * Crash points end it with a real SIGKILL.
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {Agent, request} from 'undici';
import {accountOf, COORDINATOR, INITIAL_BALANCE} from '../bank.js';
import type {TxnEvent} from '../events.js';
import {cut, NO_FAULTS, route} from '../faults.js';
import {ProcessHost, type Envelope, type HostIO} from '../host.js';
import {streamRandom} from '../rng.js';
import type {Input} from '../types.js';
import {FileLog, readLogFile} from './file-log.js';
import {runBench} from './process-bench.js';
import type {BenchBody, ConfigureBody, ProcStatus} from './wire.js';

const proc = process.env.DIAL_TXN_PROC ?? COORDINATOR;
const logPath = process.env.DIAL_TXN_LOG!;
const daemonUrl = process.env.DIAL_REGISTRY_URL!;
const token = process.env.DIAL_TOKEN || undefined;
const role = proc === COORDINATOR ? 'coordinator' : 'participant';
const agent = new Agent({keepAliveTimeout: 30_000, connections: 16});
const now = () => performance.timeOrigin + performance.now();

const log = new FileLog(logPath);
let cfg: ConfigureBody = {peers: {}, faults: NO_FAULTS, runStart: now(), timeoutMs: 300, fsync: true, trace: true, partitioned: false, seed: 1};
let host: ProcessHost | undefined;
/** The machines read their timeouts from this object on every step, so a new run's --timeout applies. */
const machineCfg = {timeoutMs: cfg.timeoutMs};
let random = () => Math.random();
const fired = new Set<string>();
const timers = new Map<string, NodeJS.Timeout>();
let outbox: TxnEvent[] = [];
let posting: Promise<void> = Promise.resolve();
const listeners = new Set<(e: TxnEvent) => void>();

async function post(path: string, body: unknown, base = daemonUrl): Promise<void> {
  const res = await request(new URL(path, base), {
    method: 'POST',
    dispatcher: agent,
    headers: {'content-type': 'application/json', ...(token ? {'x-consul-token': token} : {})},
    body: JSON.stringify(body),
  });
  await res.body.dump();
  if (res.statusCode >= 300) throw new Error(`POST ${path}: HTTP ${res.statusCode}`);
}

/** Sends the buffered events to the daemon, one request at a time. */
function flushEvents(): Promise<void> {
  posting = posting.then(async () => {
    if (!outbox.length) return;
    const events = outbox;
    outbox = [];
    await post('/v1/txn/events', {proc, events}).catch((e: Error) => process.stderr.write(`events lost: ${e.message}\n`));
  });
  return posting;
}

function emit(ev: TxnEvent): void {
  for (const l of listeners) l(ev);
  if (!cfg.trace) return;
  outbox.push(ev);
  if (outbox.length === 1) setImmediate(() => void flushEvents());
}

function deliver(env: Envelope, delayMs: number): void {
  const port = cfg.peers[env.to];
  const go = () => {
    if (port === undefined) return emit({t: t(), proc, kind: 'drop', to: env.to, msg: env.msg, id: env.id, reason: 'unreachable'});
    post('/msg', {env, delayMs}, `http://127.0.0.1:${port}`).catch(() => emit({t: t(), proc, kind: 'drop', to: env.to, msg: env.msg, id: env.id, reason: 'unreachable'}));
  };
  if (delayMs > 0) setTimeout(go, delayMs);
  else go();
}

const t = () => Math.round((now() - cfg.runStart) * 10) / 10;
const dropped: number[] = [];

const io: HostIO = {
  now: t,
  append: (r, force) => log.append(r, force),
  send(env) {
    const fate = route(cfg.faults, {partitioned: cfg.partitioned, dropped}, env.from, env.to, env.msg, random);
    if (!fate.deliver) emit({t: t(), proc, kind: 'drop', to: env.to, msg: env.msg, id: env.id, reason: fate.reason});
    else deliver(env, fate.delayMs);
  },
  setTimer(key, ms, fire) {
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      void fire();
    }, ms));
  },
  clearTimer(key) {
    clearTimeout(timers.get(key));
    timers.delete(key);
  },
  point(name) {
    const at = cfg.faults.partition?.at;
    if (at && 'point' in at && at.point.proc === proc && at.point.point === name && !cfg.partitioned) {
      cfg.partitioned = true;
      emit({t: t(), proc, kind: 'note', text: `network partition starts: ${cfg.faults.partition!.groups.map((g) => g.join(',')).join(' | ')}`});
      void post('/v1/txn/partition', {proc}).catch(() => undefined);
    }
    const key = `${proc}:${name}`;
    if (!fired.has(key) && cfg.faults.crash.some((c) => c.proc === proc && c.point === name)) {
      fired.add(key);
      return true;
    }
    return false;
  },
  async crash() {
    await flushEvents();
    process.kill(process.pid, 'SIGKILL');
  },
  emit,
};

function status(): ProcStatus {
  const base = {proc, role, pid: process.pid, logFile: logPath, logRecords: readLogFile(logPath).records.length} as const;
  const part = host?.participant;
  if (part) {
    return {...base, account: part.account, balance: part.balance, lockedBy: part.lockedBy,
      txns: Object.values(part.txns).map((x) => ({txn: x.txn, state: x.state, protocol: x.spec?.protocol}))};
  }
  const coord = host?.coordinator;
  return {...base, txns: Object.values(coord?.txns ?? {}).map((x) => ({txn: x.spec.txn, state: x.passive ? `${x.state} (asking)` : x.state, protocol: x.spec.protocol, outcome: x.outcome}))};
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
  const reply = (code: number, value: unknown) => {
    res.writeHead(code, {'content-type': 'application/json'});
    res.end(JSON.stringify(value ?? null));
  };
  const path = req.url ?? '/';
  if (path === '/msg') {
    const {env, delayMs} = body as {env: Envelope; delayMs?: number};
    reply(202, null);
    if (cfg.partitioned && cfg.faults.partition && cut(cfg.faults.partition.groups, env.from, proc)) {
      emit({t: t(), proc: env.from, kind: 'drop', to: proc, msg: env.msg, id: env.id, reason: 'partition'});
      return;
    }
    await host?.input({kind: 'recv', from: env.from, msg: env.msg} as Input, env, delayMs);
  } else if (path === '/ctl/configure') {
    cfg = {...cfg, ...(body as ConfigureBody)};
    log.fsync = cfg.fsync;
    machineCfg.timeoutMs = cfg.timeoutMs;
    dropped.length = 0;
    random = streamRandom(cfg.seed, Number(proc.replace(/\D/g, '') || 0));
    if (!host) {
      const restarted = readLogFile(logPath).records.length > (role === 'participant' ? 1 : 0);
      host = await ProcessHost.recover({
        id: proc, role, records: readLogFile(logPath).records, cfg: machineCfg, io, incarnation: String(process.pid),
        account: {account: accountOf(proc), balance: INITIAL_BALANCE, policy: {voteNo: cfg.faults.voteNo.includes(proc)}}, restarted,
      });
    }
    const part = host.participant;
    if (part) part.policy = {voteNo: cfg.faults.voteNo.includes(proc)};
    reply(200, status());
  } else if (path === '/ctl/begin') {
    reply(202, null);
    await host?.input({kind: 'begin', spec: body.spec});
  } else if (path === '/ctl/bench') {
    reply(200, await runBench(host!, body as BenchBody, listeners));
  } else if (path === '/ctl/warm') {
    // Opens the keep-alive connections to every peer, so a run's first messages are not slowed by connecting.
    await Promise.all(Object.entries(cfg.peers).filter(([p]) => p !== proc).map(async ([, port]) => {
      const res = await request(`http://127.0.0.1:${port}/ctl/status`, {dispatcher: agent}).catch(() => undefined);
      await res?.body.dump();
    }));
    reply(200, null);
  } else if (path === '/ctl/status') reply(200, status());
  else reply(404, {error: `no such endpoint: ${path}`});
}

const server = createServer((req, res) => {
  handle(req, res).catch((e: Error) => {
    if (!res.headersSent) {
      res.writeHead(500, {'content-type': 'application/json'});
      res.end(JSON.stringify({error: e.message}));
    }
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const port = (server.address() as AddressInfo).port;
  process.send?.({type: 'ready', port});
});

const stop = async () => {
  await log.close().catch(() => undefined);
  await flushEvents().catch(() => undefined);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop());
