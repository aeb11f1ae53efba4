// Anchor for the database txn benchmark: the same transfer dial's coordinator
// runs, done by a minimal script with node-postgres and nothing else. Per
// transaction, on both databases in parallel: BEGIN; UPDATE; PREPARE
// TRANSACTION 'gid' as one simple query (one round trip, as dial sends it);
// then COMMIT PREPARED 'gid' on both in parallel. One
// connection per worker and database, opened before the clock starts. It
// keeps no decision log, so it is not a coordinator that survives a crash:
// it is the floor that the two databases set.
//
//   node bench/anchors/pg-2pc.mjs URL_A URL_B TRANSACTIONS CONCURRENCY [WARMUP]
//
// URLs are pg://user:pw@host:port/db; the rows 'bench-1'..'bench-N' of
// dial_accounts must exist (dial txn bench --participant creates them).
// Prints {txPerSec, p50, p99, wallMs, committed}.
import pg from 'pg';

const [urlA, urlB, n = '200', c = '1', warm = '0'] = process.argv.slice(2);
const warmup = Number(warm);
const total = Number(n);
const workers = Number(c);
const config = (url) => {
  const u = new URL(url);
  return {host: u.hostname, port: Number(u.port), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), database: u.pathname.slice(1)};
};
const clients = async (url) => Promise.all(Array.from({length: workers}, async () => {
  const cl = new pg.Client(config(url));
  await cl.connect();
  return cl;
}));
const [as, bs] = await Promise.all([clients(urlA), clients(urlB)]);
// One round trip, as dial's branch does it: one simple query with the three
// statements (a simple query takes no parameters: the values are written in).
const prepare = (cl, gid, delta, account) =>
  cl.query(`BEGIN; UPDATE dial_accounts SET balance = balance + (${Number(delta)}) WHERE name = ${cl.escapeLiteral(account)}; PREPARE TRANSACTION '${gid}'`);

// Untimed first (JIT and both servers warm), as dial txn bench --warmup does.
const batch = async (count, lat) => {
  let next = 0;
  let committed = 0;
  await Promise.all(Array.from({length: workers}, async (_, w) => {
    const account = `bench-${w + 1}`;
    for (let i = 0; next < count; i++) {
      next++;
      // One id per branch, as dial's: two databases may live on one server.
      const gid = `anchor-${process.pid}-${lat ? 't' : 'w'}${w}-${i}`;
      // Back and forth, so the balances never run out.
      const d = i % 2 ? 1 : -1;
      const s = performance.now();
      await Promise.all([prepare(as[w], `${gid}:a`, d, account), prepare(bs[w], `${gid}:b`, -d, account)]);
      await Promise.all([as[w].query(`COMMIT PREPARED '${gid}:a'`), bs[w].query(`COMMIT PREPARED '${gid}:b'`)]);
      lat?.push(performance.now() - s);
      committed++;
    }
  }));
  return committed;
};
if (warmup > 0) await batch(warmup);
const lat = [];
const t0 = performance.now();
const committed = await batch(total, lat);
const wallMs = performance.now() - t0;
await Promise.all([...as, ...bs].map((cl) => cl.end()));
lat.sort((x, y) => x - y);
const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
process.stdout.write(JSON.stringify({txPerSec: Math.round((committed / wallMs) * 1000 * 10) / 10, p50: q(0.5), p99: q(0.99), wallMs, committed}) + '\n');
