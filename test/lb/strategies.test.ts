import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {
  BoundedLoad, createBalancer, hashKey, Maglev, parseStrategies, parseStrategy, PeakEwma, PowerOfTwo, RandomPick, Rendezvous, Ring,
  RoundRobin, seededRandom, STRATEGIES, WeightedRandom, WeightedRoundRobin, type Endpoint,
} from '../../src/lb/index.js';

const eps = (n: number, weights?: number[]): Endpoint[] =>
  Array.from({length: n}, (_, i) => ({id: `b${i + 1}`, weight: weights?.[i] ?? 1}));
const named = (weights: number[]): Endpoint[] => weights.map((weight, i) => ({id: String.fromCharCode(97 + i), weight}));
const keys = (n: number) => Array.from({length: n}, (_, i) => hashKey(`key-${i}`));

describe('smooth weighted round robin (nginx)', () => {
  const sequence = (weights: number[], count: number) => {
    const b = new WeightedRoundRobin();
    b.update(named(weights));
    return Array.from({length: count}, () => b.pick().id).join(' ');
  };
  it('weights 5,1,1 yield a a b a c a a in every period', () => {
    assert.equal(sequence([5, 1, 1], 21), 'a a b a c a a a a b a c a a a a b a c a a');
  });
  it('weights 4,2,1 yield a b a c a b a in every period', () => {
    assert.equal(sequence([4, 2, 1], 14), 'a b a c a b a a b a c a b a');
  });
  it('every period of sum(w) picks has exactly w_i picks of each endpoint', () => {
    for (const weights of [[5, 1, 1], [4, 2, 1], [3, 3, 2, 1], [7, 5, 3, 2, 1, 1], [1, 1, 1, 1], [10, 1]]) {
      const b = new WeightedRoundRobin();
      b.update(named(weights));
      const period = weights.reduce((a, x) => a + x, 0);
      for (let p = 0; p < 5; p++) {
        const counts = new Map<string, number>();
        for (let k = 0; k < period; k++) {
          const id = b.pick().id;
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
        named(weights).forEach((e) => assert.equal(counts.get(e.id), e.weight, `weights ${weights}, period ${p}, ${e.id}`));
      }
    }
  });
});

describe('round robin', () => {
  it('counts differ by at most 1 in any prefix', () => {
    for (const n of [1, 2, 3, 7, 10]) {
      const b = new RoundRobin({random: seededRandom(n)});
      b.update(eps(n));
      const counts = new Map<string, number>(b.endpoints.map((e) => [e.id, 0]));
      for (let k = 0; k < 500; k++) {
        const id = b.pick().id;
        counts.set(id, counts.get(id)! + 1);
        const v = [...counts.values()];
        assert.ok(Math.max(...v) - Math.min(...v) <= 1, `n=${n} after ${k + 1} picks: ${v}`);
      }
    }
  });
});

describe('Maglev', () => {
  it('table slot counts differ by at most 1', () => {
    for (const n of [1, 3, 10, 37, 100]) {
      const m = new Maglev();
      m.update(eps(n));
      const c = m.slotCounts();
      assert.equal(c.reduce((a, x) => a + x, 0), 65537);
      assert.ok(Math.max(...c) - Math.min(...c) <= 1, `n=${n}: ${Math.min(...c)}..${Math.max(...c)}`);
    }
  });
  it('removing 1 of N backends moves between 1/N and 2/N of the keys', () => {
    for (const n of [5, 10, 20, 50]) {
      const all = eps(n);
      for (const gone of [0, Math.floor(n / 2), n - 1]) {
        const before = new Maglev();
        before.update(all);
        const after = new Maglev();
        after.update(all.filter((_, i) => i !== gone));
        const ids = (m: Maglev) => Array.from(m.slots(), (o) => m.endpoints[o].id);
        const [a, b] = [ids(before), ids(after)];
        const moved = a.filter((id, s) => id !== b[s]).length / a.length;
        assert.ok(moved >= 1 / n && moved <= 2 / n, `n=${n}, removed #${gone}: moved ${moved.toFixed(4)}, want ${(1 / n).toFixed(4)}..${(2 / n).toFixed(4)}`);
      }
    }
  });
  it('rejects a table size that is not a prime', () => {
    assert.throws(() => createBalancer('maglev:table=65536', eps(3)), /not a prime/);
  });
});

describe('ring hash and rendezvous', () => {
  const mapKeys = (b: Ring | Rendezvous, hs: number[]) => hs.map((hash) => {
    const e = b.pick({hash});
    b.observe(e, 'ok', 0);
    return e.id;
  });
  for (const [name, make] of [['ring', () => new Ring()], ['rendezvous', () => new Rendezvous()]] as const) {
    it(`${name}: removing a backend moves only that backend's keys; adding one moves keys only to it`, () => {
      const hs = keys(20_000);
      const all = eps(10);
      const full = make();
      full.update(all);
      const before = mapKeys(full, hs);
      const less = make();
      less.update(all.filter((e) => e.id !== 'b4'));
      const after = mapKeys(less, hs);
      let moved = 0;
      before.forEach((id, k) => {
        if (id === 'b4') assert.notEqual(after[k], 'b4');
        else assert.equal(after[k], id, `key ${k} moved from ${id} to ${after[k]}`);
        if (after[k] !== id) moved++;
      });
      assert.ok(moved > 1000 && moved < 3500, `moved ${moved} of 20000 (b4's share)`);
      const more = make();
      more.update([...all, {id: 'b11', weight: 1}]);
      mapKeys(more, hs).forEach((id, k) => assert.ok(id === before[k] || id === 'b11'));
    });
  }
  it('ring: the spread of ownership shrinks as about 1/sqrt(virtual nodes)', () => {
    const cv = (v: number) => {
      const r = new Ring({vnodes: v});
      r.update(eps(20));
      const s = r.arcShares();
      const mean = 1 / s.length;
      return Math.sqrt(s.reduce((a, x) => a + (x - mean) ** 2, 0) / s.length) / mean;
    };
    const vs = [10, 40, 160, 640, 2560];
    const cvs = vs.map(cv);
    for (let i = 1; i < vs.length; i++) assert.ok(cvs[i] < cvs[i - 1], `cv ${cvs.map((x) => x.toFixed(3))}`);
    vs.forEach((v, i) => {
      const scaled = cvs[i] * Math.sqrt(v);
      assert.ok(scaled > 0.4 && scaled < 1.8, `v=${v}: cv ${cvs[i].toFixed(3)} x sqrt(v) = ${scaled.toFixed(2)}, want about 1`);
    });
  });
  it('rendezvous spreads keys evenly and honours weights', () => {
    const r = new Rendezvous();
    r.update([...eps(4), {id: 'heavy', weight: 4}]);
    const counts = new Map<string, number>();
    for (const id of mapKeys(r, keys(40_000))) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const id of ['b1', 'b2', 'b3', 'b4']) assert.ok(Math.abs(counts.get(id)! / 40_000 - 0.125) < 0.01, `${id}: ${counts.get(id)}`);
    assert.ok(Math.abs(counts.get('heavy')! / 40_000 - 0.5) < 0.01, `heavy: ${counts.get('heavy')}`);
  });
});

describe('consistent hashing with bounded loads', () => {
  it('no backend ever exceeds ceil(c * m / n) assignments', () => {
    for (const c of [1.25, 1.1, 2]) {
      for (const workload of ['uniform', 'one hot key', 'skewed']) {
        const n = 10;
        const b = new BoundedLoad({loadFactor: c});
        b.update(eps(n));
        const random = seededRandom(7);
        for (let m = 1; m <= 5000; m++) {
          const key = workload === 'uniform' ? `k${m}` : workload === 'one hot key' ? 'hot' : `k${Math.floor(random.next() ** 4 * 50)}`;
          b.pick({key});
          const max = Math.max(...b.endpoints.map((e) => b.outstanding(e.id)));
          assert.ok(max <= Math.ceil((c * m) / n), `c=${c}, ${workload}: after ${m} assignments max ${max} > ${Math.ceil((c * m) / n)}`);
        }
      }
    }
  });
  it('keeps keys on their ring owner while loads allow', () => {
    const ring = new Ring();
    const bounded = new BoundedLoad();
    ring.update(eps(10));
    bounded.update(eps(10));
    for (const hash of keys(200)) {
      const e = bounded.pick({hash});
      assert.equal(e.id, ring.pick({hash}).id);
      bounded.observe(e, 'ok', 1);
    }
  });
});

describe('power of two choices', () => {
  it('never picks the backend with the strict maximum of outstanding requests', () => {
    const random = seededRandom(3);
    const b = new PowerOfTwo({random: seededRandom(4)});
    b.update(eps(6));
    const open: Endpoint[] = [];
    let checked = 0;
    for (let k = 0; k < 20_000; k++) {
      const load = b.endpoints.map((e) => b.outstanding(e.id));
      const max = Math.max(...load);
      const strict = load.filter((x) => x === max).length === 1 ? b.endpoints[load.indexOf(max)].id : undefined;
      const e = b.pick();
      if (strict) {
        checked++;
        assert.notEqual(e.id, strict, `picked the strict maximum ${strict} with loads ${load}`);
      }
      open.push(e);
      while (open.length > 0 && random.next() < 0.5) b.observe(open.splice(random.int(open.length), 1)[0], 'ok', 1);
    }
    assert.ok(checked > 1000, `only ${checked} picks had a strict maximum`);
  });
  it('with many backends its maximum load is far below random', () => {
    const n = 1000;
    const m = 10_000;
    const maxLoad = (b: PowerOfTwo | RandomPick) => {
      b.update(eps(n));
      for (let k = 0; k < m; k++) b.pick();
      return Math.max(...b.endpoints.map((e) => b.outstanding(e.id)));
    };
    const p2c = maxLoad(new PowerOfTwo({random: seededRandom(11)}));
    const rnd = maxLoad(new RandomPick({random: seededRandom(11)}));
    const mean = m / n;
    assert.ok(p2c - mean <= (rnd - mean) / 3, `max load over the mean of ${mean}: p2c +${p2c - mean}, random +${rnd - mean}`);
  });
});

describe('peak-EWMA', () => {
  it('reacts to a latency spike at once and decays toward the new level with the configured time', () => {
    let now = 0;
    const decayMs = 2000;
    const b = new PeakEwma({decayMs, now: () => now});
    b.update(eps(2));
    const a = b.endpoints[0];
    for (; now < 5000; now += 10) b.observe(a, 'ok', 10);
    assert.ok(Math.abs(b.estimate(a.id) - 10) < 1e-9);
    b.observe(a, 'ok', 100);
    assert.equal(b.estimate(a.id), 100, 'a spike is taken at once');
    const start = now;
    for (now += 1; now <= start + decayMs; now += 1) b.observe(a, 'ok', 20);
    const expected = 20 + 80 * Math.exp(-1);
    assert.ok(Math.abs(b.estimate(a.id) - expected) / expected < 0.02, `after one decay time: ${b.estimate(a.id)}, want ${expected.toFixed(2)}`);
    for (; now <= start + 5 * decayMs; now += 1) b.observe(a, 'ok', 20);
    assert.ok(Math.abs(b.estimate(a.id) - 20) < 80 * Math.exp(-4.9), `after five: ${b.estimate(a.id)}`);
  });
  it('steers away from a slow backend', () => {
    let now = 0;
    const b = new PeakEwma({now: () => now, random: seededRandom(5)});
    b.update(eps(3));
    const counts = new Map<string, number>();
    for (let k = 0; k < 3000; k++, now += 5) {
      const e = b.pick();
      counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
      b.observe(e, 'ok', e.id === 'b3' ? 100 : 5);
    }
    assert.ok(counts.get('b3')! < 300, `slow backend got ${counts.get('c')} of 3000`);
  });
});

describe('every strategy', () => {
  it('is deterministic for a seed, honours exclude, and survives updates', () => {
    for (const s of STRATEGIES) {
      const run = () => {
        let now = 0;
        const b = createBalancer(s.name, eps(5, [1, 2, 3, 1, 1]), {random: seededRandom(9), now: () => now});
        const out: string[] = [];
        for (let k = 0; k < 300; k++, now += 1) {
          const e = b.pick({key: `u${k % 37}`});
          out.push(e.id);
          b.observe(e, k % 7 === 0 ? 'error' : 'ok', 1 + (k % 5));
        }
        b.update(eps(4, [1, 2, 3, 1]));
        out.push(b.pick({key: 'x'}).id);
        return out;
      };
      assert.deepEqual(run(), run(), s.name);
      const b = createBalancer(s.name, eps(4), {random: seededRandom(1)});
      for (let k = 0; k < 50; k++) {
        const e = b.pick({key: `k${k}`, exclude: new Set(['b1', 'b2', 'b3'])});
        assert.equal(e.id, 'b4', `${s.name} must avoid excluded endpoints`);
      }
      assert.ok(['b1', 'b2'].includes(b.pick({key: 'z', exclude: new Set(['b3', 'b4'])}).id));
    }
  });
  it('weighted strategies follow weights', () => {
    for (const name of ['weighted-round-robin', 'weighted-random', 'least-connections', 'p2c']) {
      const b = createBalancer(name, [{id: 'big', weight: 3}, {id: 'small', weight: 1}], {random: seededRandom(2)});
      const counts = {big: 0, small: 0};
      const open: Endpoint[] = [];
      for (let k = 0; k < 8000; k++) {
        const e = b.pick();
        counts[e.id as 'big' | 'small']++;
        open.push(e);
        if (open.length > 40) b.observe(open.shift()!, 'ok', 1);
      }
      assert.ok(Math.abs(counts.big / 8000 - 0.75) < 0.05, `${name}: ${JSON.stringify(counts)}`);
    }
    assert.ok(new WeightedRandom() instanceof WeightedRandom);
  });
  it('throws NO_ENDPOINTS with no endpoints, and usage errors for bad specs', () => {
    assert.throws(() => createBalancer('p2c', []).pick(), /no endpoints/);
    assert.throws(() => parseStrategy('p3c'), /unknown strategy 'p3c' \(did you mean 'p2c'/);
    assert.throws(() => parseStrategy('ring:vnode=3'), /has no parameter 'vnode'/);
    assert.throws(() => parseStrategy('bounded-load:c=0.5'), /bad value/);
    assert.equal(parseStrategy('ketama:vnodes=40').label, 'ring:vnodes=40');
    assert.equal(parseStrategies('all').length, STRATEGIES.length);
    assert.deepEqual(parseStrategies('rr, hrw').map((s) => s.label), ['round-robin', 'rendezvous']);
  });
});
