import {HttpError, parseJson, type Router} from '../registry/server/http-kit.js';
import type {Broker} from './broker.js';
import {EVENTS_TOPIC, NAME_RE, type OutgoingMessage, type Positions} from './types.js';

const MAX_BATCH = 10_000;
const MAX_WAIT_MS = 30_000;

function name(kind: string, value: string): string {
  if (!NAME_RE.test(value)) throw new HttpError(400, `invalid ${kind} name '${value}': use 1-200 of A-Z a-z 0-9 . _ -`);
  return value;
}

function obj(body: Buffer, allowEmpty = false): Record<string, unknown> {
  if (allowEmpty && body.length === 0) return {};
  const v = parseJson(body);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, 'Request decode failed: expected a JSON object');
  return v as Record<string, unknown>;
}

function int(v: unknown, field: string, min: number, max: number, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new HttpError(400, `${field} must be an integer ${min}..${max}`);
  return v;
}

function positions(v: unknown): Positions {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new HttpError(400, 'positions must be an object {partition: offset}');
  const out: Positions = {};
  for (const [p, o] of Object.entries(v as Record<string, unknown>)) {
    if (!/^\d+$/.test(p) || typeof o !== 'number' || !Number.isInteger(o) || o < 0) throw new HttpError(400, `bad position ${p}: ${String(o)}`);
    out[Number(p)] = o;
  }
  return out;
}

function messages(v: unknown): OutgoingMessage[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_BATCH) throw new HttpError(400, `messages must be an array of 1..${MAX_BATCH} {value, key?, headers?}`);
  return v.map((m, i) => {
    const r = m as Record<string, unknown>;
    if (typeof r !== 'object' || r === null || typeof r.value !== 'string') throw new HttpError(400, `messages[${i}].value must be a string`);
    if (r.key !== undefined && r.key !== null && typeof r.key !== 'string') throw new HttpError(400, `messages[${i}].key must be a string`);
    const headers = r.headers as Record<string, unknown> | undefined;
    if (headers !== undefined && (typeof headers !== 'object' || headers === null || Object.values(headers).some((x) => typeof x !== 'string'))) {
      throw new HttpError(400, `messages[${i}].headers must map names to strings`);
    }
    return {value: r.value, key: (r.key as string | undefined) ?? null, ...(headers ? {headers: headers as Record<string, string>} : {})};
  });
}

/** The broker's HTTP API under /v1/dial/broker (JSON in, JSON out), on the daemon's router. */
export function addBrokerRoutes(router: Router, broker: Broker): void {
  const base = '/v1/dial/broker';
  router.add('GET', `${base}/topics`, () => broker.topics());
  router.add('GET', `${base}/groups`, () => broker.describeGroups());
  router.add('GET', `${base}/topics/:topic`, ({params}) => {
    const t = broker.topic(name('topic', params.topic));
    if (!t) throw new HttpError(404, `no topic '${params.topic}'`);
    return t;
  });
  router.add('PUT', `${base}/topics/:topic`, ({params, body}) => {
    const b = obj(body, true);
    return broker.createTopic(name('topic', params.topic), int(b.partitions, 'partitions', 1, 64, 3));
  });
  router.add('POST', `${base}/topics/:topic/messages`, async ({params, body}) => {
    const topic = name('topic', params.topic);
    if (topic === EVENTS_TOPIC) throw new HttpError(403, `'${EVENTS_TOPIC}' is written by the daemon only`);
    const b = obj(body);
    const results = await broker.publish(topic, messages(b.messages), b.partitions === undefined ? undefined : int(b.partitions, 'partitions', 1, 64, 3));
    return {topic, results};
  });
  router.add('POST', `${base}/topics/:topic/fetch`, async ({params, body, req}) => {
    const topic = name('topic', params.topic);
    const b = obj(body, true);
    if (!broker.topic(topic)) throw new HttpError(404, `no topic '${topic}'`);
    const from = b.from === 'end' ? 'end' : 'beginning';
    const abort = new AbortController();
    req.once('close', () => abort.abort());
    return broker.fetch(topic, positions(b.positions), {max: int(b.max, 'max', 1, MAX_BATCH, 500), waitMs: int(b.waitMs, 'waitMs', 0, MAX_WAIT_MS, 0), from, signal: abort.signal});
  });
  router.add('POST', `${base}/groups/:group/join`, ({params, body}) => {
    const group = name('group', params.group);
    const b = obj(body);
    const topic = name('topic', String(b.topic ?? ''));
    if (!broker.topic(topic)) throw new HttpError(404, `no topic '${topic}'`);
    return broker.groups.join(group, topic, {sessionTimeoutMs: int(b.sessionTimeoutMs, 'sessionTimeoutMs', 500, 300_000, 10_000), fromBeginning: b.fromBeginning === true});
  });
  router.add('POST', `${base}/groups/:group/fetch`, async ({params, body, req}) => {
    const group = name('group', params.group);
    const b = obj(body);
    const topic = name('topic', String(b.topic ?? ''));
    const abort = new AbortController();
    req.once('close', () => abort.abort());
    const r = await broker.groupFetch(group, topic, String(b.member ?? ''), positions(b.positions), {
      max: int(b.max, 'max', 1, MAX_BATCH, 500), waitMs: int(b.waitMs, 'waitMs', 0, MAX_WAIT_MS, 0), signal: abort.signal,
    });
    if (!r) throw new HttpError(409, `'${String(b.member)}' is not a member of group '${group}' (left, or its session expired): join again`);
    return r;
  });
  router.add('POST', `${base}/groups/:group/commit`, ({params, body}) => {
    const group = name('group', params.group);
    const b = obj(body);
    const r = broker.commit(group, name('topic', String(b.topic ?? '')), String(b.member ?? ''), positions(b.offsets));
    if (!r) throw new HttpError(409, `'${String(b.member)}' is not a member of group '${group}': join again`);
    return r;
  });
  router.add('POST', `${base}/groups/:group/leave`, ({params, body}) => {
    const b = obj(body);
    return {left: broker.groups.leave(name('group', params.group), name('topic', String(b.topic ?? '')), String(b.member ?? ''))};
  });
}
