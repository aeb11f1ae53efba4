/**
 * Generated malformed requests for the registry daemon (seeded): broken JSON,
 * wrong types, unknown fields, bad names, ports, durations, keys and query
 * parameters, wrong methods and paths, bad escapes, and oversized bodies.
 * Each case says which status it expects (any 4xx when unset).
 */
export interface MalformedCase {
  label: string;
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Send the body with Transfer-Encoding: chunked (no Content-Length), in 64 KiB chunks. */
  chunked?: boolean;
  expect?: number;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same cases. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID = {ID: 'fuzz-1', Name: 'fuzz', Address: '127.0.0.1', Port: 8080, Tags: ['a'], Meta: {k: 'v'}, Check: {TTL: '10s'}};

/** Field mutations that make a registration invalid. */
const MUTATIONS: [string, (b: Record<string, unknown>) => void][] = [
  ['Name missing', (b) => delete b.Name],
  ['Name number', (b) => (b.Name = 42)],
  ['Name with spaces', (b) => (b.Name = 'has spaces')],
  ['Name too long', (b) => (b.Name = 'n'.repeat(300))],
  ['ID with slash', (b) => (b.ID = 'a/b')],
  ['ID empty', (b) => (b.ID = '')],
  ['Port string', (b) => (b.Port = '8080')],
  ['Port negative', (b) => (b.Port = -1)],
  ['Port too big', (b) => (b.Port = 70000)],
  ['Port float', (b) => (b.Port = 1.5)],
  ['Tags string', (b) => (b.Tags = 'a,b')],
  ['Tags numbers', (b) => (b.Tags = [1, 2])],
  ['Meta array', (b) => (b.Meta = ['x'])],
  ['Meta number value', (b) => (b.Meta = {k: 1})],
  ['Meta bad key', (b) => (b.Meta = {'bad key!': 'v'})],
  ['Weights zero', (b) => (b.Weights = {Passing: 0, Warning: 1})],
  ['Weights string', (b) => (b.Weights = 'heavy')],
  ['unknown field', (b) => (b.Colour = 'blue')],
  ['Check string', (b) => (b.Check = 'ttl')],
  ['Check empty', (b) => (b.Check = {})],
  ['Check two kinds', (b) => (b.Check = {TTL: '10s', TCP: '127.0.0.1:1', Interval: '1s'})],
  ['TTL bad duration', (b) => (b.Check = {TTL: 'soon'})],
  ['TTL number', (b) => (b.Check = {TTL: 10})],
  ['TTL without a unit', (b) => (b.Check = {TTL: '15'})],
  ['Interval without a unit', (b) => (b.Check = {TCP: '127.0.0.1:1', Interval: '5'})],
  ['unknown field in any case', (b) => (b.colour = 'blue')],
  ['Interval bad', (b) => (b.Check = {TCP: '127.0.0.1:1', Interval: '1 fortnight'})],
  ['Interval missing', (b) => (b.Check = {HTTP: 'http://127.0.0.1:1/'})],
  ['HTTP not http', (b) => (b.Check = {HTTP: 'ftp://x/', Interval: '1s'})],
  ['TCP no port', (b) => (b.Check = {TCP: 'localhost', Interval: '1s'})],
  ['GRPC bad', (b) => (b.Check = {GRPC: 'no port here', Interval: '1s'})],
  ['DeregisterCriticalServiceAfter bad', (b) => (b.Check = {TTL: '1s', DeregisterCriticalServiceAfter: '1y'})],
  ['Status bad', (b) => (b.Check = {TTL: '1s', Status: 'fine'})],
  ['Checks not array', (b) => (b.Checks = {TTL: '1s'})],
  ['Checks unknown field', (b) => (b.Checks = [{TTL: '1s', Colour: 'red'}])],
  ['GRPCUseTLS string', (b) => (b.Check = {GRPC: '127.0.0.1:1', Interval: '1s', GRPCUseTLS: 'yes'})],
];

const JUNK_BODIES = ['', 'null', '[]', '"a string"', '42', 'true', '{', '{"Name":', '{"Name": "x",}', "{'Name': 'x'}", '\u0000\u0001\u0002', '{"Name":"x"}{"Name":"y"}'];

export function malformedRequests(rand: () => number, count: number): MalformedCase[] {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const out: MalformedCase[] = [];
  const register = (label: string, body: string | Buffer, expect?: number): MalformedCase =>
    ({label, method: 'PUT', path: '/v1/agent/service/register', body, headers: {'content-type': 'application/json'}, expect});
  const generators: (() => MalformedCase)[] = [
    () => {
      const [label, mutate] = pick(MUTATIONS);
      const b: Record<string, unknown> = structuredClone(VALID);
      mutate(b);
      if (rand() < 0.3) pick(MUTATIONS)[1](b);
      return register(`registration: ${label}`, JSON.stringify(b), 400);
    },
    () => {
      const text = JSON.stringify(VALID);
      return register('truncated JSON', text.slice(0, 1 + Math.floor(rand() * (text.length - 2))), 400);
    },
    () => register('junk body', pick(JUNK_BODIES), 400),
    () => register('random bytes', Buffer.from(Array.from({length: 1 + Math.floor(rand() * 64)}, () => Math.floor(rand() * 256))), 400),
    () => ({label: 'bad cas', method: 'PUT', path: `/v1/kv/fuzz/k?cas=${pick(['abc', '-1', '1.5', '1e3', ''])}`, body: 'v', expect: 400}),
    () => ({label: 'bad flags', method: 'PUT', path: `/v1/kv/fuzz/k?flags=${pick(['x', '-7', '0x10'])}`, body: 'v', expect: 400}),
    () => ({label: 'key with leading slash', method: pick(['GET', 'PUT', 'DELETE']), path: '/v1/kv//abs/key', body: 'v', expect: 400}),
    () => ({label: 'key too long', method: 'PUT', path: `/v1/kv/${'k'.repeat(513 + Math.floor(rand() * 200))}`, body: 'v', expect: 400}),
    () => ({label: 'empty key', method: pick(['PUT', 'DELETE']), path: '/v1/kv/', body: 'v', expect: 400}),
    () => pick([
      {label: 'bad escape', method: pick(['GET', 'PUT', 'DELETE']), path: '/v1/kv/%E0%A4%A', body: 'v', expect: 400},
      {label: 'bad escape', method: 'GET', path: pick(['/v1/agent/service/%ZZ', '/v1/health/service/%', '/v1/catalog/service/%C3']), expect: 400},
    ]),
    () => ({label: 'bad index', method: 'GET', path: `/v1/health/service/fuzz?index=${pick(['abc', '-5', '1.5'])}`, expect: 400}),
    () => ({label: 'bad wait', method: 'GET', path: `/v1/catalog/services?index=1&wait=${pick(['forever', '10 s', '-1s'])}`, expect: 400}),
    () => ({label: 'bad state', method: 'GET', path: `/v1/health/state/${pick(['sick', 'PASSING', 'x'])}`, expect: 400}),
    () => ({label: 'unknown check', method: 'PUT', path: `/v1/agent/check/${pick(['pass', 'warn', 'fail'])}/no-such-check-${Math.floor(rand() * 1e6)}`, expect: 404}),
    () => ({label: 'unknown service deregister', method: 'PUT', path: `/v1/agent/service/deregister/nope-${Math.floor(rand() * 1e6)}`, expect: 404}),
    () => pick([
      {label: 'wrong method', method: 'DELETE', path: '/v1/agent/service/register', expect: 405},
      {label: 'wrong method', method: 'GET', path: `/v1/agent/check/${pick(['pass', 'warn', 'fail'])}/x`, expect: 405},
    ]),
    () => ({label: 'unknown path', method: pick(['GET', 'PUT']), path: `/v1/${pick(['nope', 'agent/nope', 'catalog/x/y/z'])}`, expect: 404}),
    () => ({label: 'sessions unsupported', method: 'PUT', path: '/v1/kv/fuzz/lock?acquire=abc', body: 'x', expect: 400}),
  ];
  while (out.length < count) out.push(pick(generators)());
  for (let i = 0; i < 6; i++) {
    out.push(register('huge body', Buffer.alloc(600 * 1024 + i, 0x7b), 413));
    out.push({label: 'huge KV value', method: 'PUT', path: `/v1/kv/fuzz/huge${i}`, body: Buffer.alloc(513 * 1024, 0x61), expect: 413});
    out.push({...register('huge chunked body', Buffer.alloc(600 * 1024 + i, 0x7b), 413), chunked: true});
    out.push({label: 'huge chunked KV value', method: 'PUT', path: `/v1/kv/fuzz/chunked${i}`, body: Buffer.alloc((1 + i) * 1024 * 1024, 0x61), chunked: true, expect: 413});
  }
  return out;
}

/** Request targets that are not URLs or paths; sent raw over a socket (fetch clients would refuse them). */
export const RAW_TARGETS = ['http://[::1', 'http://[ ', 'http:/x', 'http://a:99999/', '/v1/kv/%E0%A4%A', '/v1/health/service/%', '*'];
