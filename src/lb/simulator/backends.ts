import {usageError} from '../../errors/index.js';
import {parseDuration} from '../../util/index.js';
import type {BackendSpec, MembershipTime, ServiceDist} from './types.js';

const DISTS = ['exp', 'const', 'lognormal', 'pareto'] as const;
const KEYS = 'w, lat, dist (exp|const|lognormal|pareto), sigma, alpha, conc, queue, err, errlat, join, leave';

/** A backend with the defaults: weight 1, exponential 10ms, one at a time, unbounded queue, no errors. */
export function defaultBackend(id: string): BackendSpec {
  return {id, weight: 1, service: {kind: 'exp', meanMs: 10}, concurrency: 1, queueLimit: Infinity, errorRate: 0, errorMs: 1};
}

function fraction(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(text);
  const v = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(v >= 0 && v <= 1)) throw usageError(`${what}: '${text}' is not a fraction`, 'write 0..1 (0.25) or a percentage (25%)');
  return v;
}

function duration(text: string, what: string): number {
  const v = parseDuration(text);
  if (v === undefined || !Number.isFinite(v) || v < 0) throw usageError(`${what}: '${text}' is not a duration`, 'write it like 10ms, 1.5s or 250us');
  return v;
}

function positive(text: string, what: string, integer = false): number {
  const v = Number(text);
  if (!(v > 0 && Number.isFinite(v)) || (integer && !Number.isInteger(v))) throw usageError(`${what}: '${text}' is not a positive ${integer ? 'integer' : 'number'}`);
  return v;
}

function when(text: string, what: string): MembershipTime {
  return text.endsWith('%') ? {fraction: fraction(text, what)} : {ms: duration(text, what)};
}

function applyOption(b: BackendSpec, key: string, value: string): void {
  const what = `backend ${b.id}: ${key}`;
  switch (key) {
    case 'w': case 'weight': b.weight = positive(value, what); break;
    case 'lat': case 'latency': case 'mean': {
      const ms = duration(value, what);
      if (ms <= 0) throw usageError(`${what} must be more than 0`);
      b.service = {...b.service, meanMs: ms};
      break;
    }
    case 'dist': {
      if (!(DISTS as readonly string[]).includes(value)) throw usageError(`${what}: unknown distribution '${value}'`, `use ${DISTS.join(', ')}`);
      b.service = {...b.service, kind: value as ServiceDist['kind']};
      break;
    }
    case 'sigma': b.service = {...b.service, sigma: positive(value, what)}; break;
    case 'alpha': {
      const a = positive(value, what);
      if (a <= 1) throw usageError(`${what} must be more than 1 (the mean is infinite otherwise)`);
      b.service = {...b.service, alpha: a};
      break;
    }
    case 'conc': case 'concurrency': b.concurrency = positive(value, what, true); break;
    case 'queue': b.queueLimit = value === 'inf' ? Infinity : Number.isInteger(Number(value)) && Number(value) >= 0 ? Number(value) : positive(value, what, true); break;
    case 'err': case 'errors': b.errorRate = fraction(value, what); break;
    case 'errlat': b.errorMs = duration(value, what); break;
    case 'join': b.joinAt = when(value, what); break;
    case 'leave': b.leaveAt = when(value, what); break;
    default: throw usageError(`backend ${b.id}: unknown option '${key}'`, `options: ${KEYS}`);
  }
}

/**
 * Parses --backends: a count ("10": b1..b10 with the defaults) or
 * "NAME[*COUNT][:key=value,...];..." e.g. "fast*4:lat=5ms;slow:lat=20ms,w=1,dist=lognormal".
 */
export function parseBackends(text: string): BackendSpec[] {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n < 1 || n > 10_000) throw usageError(`--backends ${t}: want 1..10000 backends`);
    return Array.from({length: n}, (_, i) => defaultBackend(`b${i + 1}`));
  }
  const out: BackendSpec[] = [];
  for (const entry of t.split(';').map((s) => s.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    const head = colon < 0 ? entry : entry.slice(0, colon);
    const m = /^([A-Za-z0-9_.-]+)(?:\*(\d+))?$/.exec(head.trim());
    if (!m) throw usageError(`--backends: '${head}' is not NAME or NAME*COUNT`, "e.g. 'a:w=3,lat=20ms;b:lat=10ms' or 'fast*4:lat=5ms;slow:lat=20ms'");
    const count = m[2] ? Number(m[2]) : 1;
    if (count < 1 || count > 10_000) throw usageError(`--backends: ${head}: want a count of 1..10000`);
    const options = colon < 0 ? [] : entry.slice(colon + 1).split(',').map((s) => s.trim()).filter(Boolean);
    for (let k = 1; k <= count; k++) {
      const b = defaultBackend(m[2] ? `${m[1]}${k}` : m[1]);
      for (const o of options) {
        const eq = o.indexOf('=');
        if (eq < 0) throw usageError(`backend ${b.id}: '${o}' is not key=value`, `options: ${KEYS}`);
        applyOption(b, o.slice(0, eq).trim(), o.slice(eq + 1).trim());
      }
      out.push(b);
    }
  }
  if (out.length === 0) throw usageError('--backends is empty', "give a count (10) or a list ('a:lat=10ms;b:lat=20ms')");
  const ids = new Set<string>();
  for (const b of out) {
    if (ids.has(b.id)) throw usageError(`--backends: '${b.id}' appears twice`, 'backend names must be unique');
    ids.add(b.id);
  }
  if (out.every((b) => b.joinAt)) throw usageError('--backends: every backend joins later; none is there at the start');
  return out;
}
