import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, it} from 'node:test';
import type BetterSqlite3 from 'better-sqlite3';
import {Broker} from '../../src/broker/index.js';
import {decodeHeaders} from '../../src/broker/record-text.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const dir = mkdtempSync(join(tmpdir(), 'dial-logstore-'));
after(() => rmSync(dir, {recursive: true, force: true}));

describe('log store: binary records and the migration of older broker.db files', () => {
  it('a broker.db of the text layout is migrated: values, keys and headers read back as before, and as bytes', async () => {
    const path = join(dir, 'old.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE topics (name TEXT PRIMARY KEY, partitions INTEGER NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE messages (topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
        key TEXT, value TEXT NOT NULL, headers TEXT, timestamp INTEGER NOT NULL, PRIMARY KEY (topic, partition, offset)) WITHOUT ROWID;
      CREATE TABLE group_offsets (grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL, updated_at INTEGER NOT NULL,
        PRIMARY KEY (grp, topic, partition)) WITHOUT ROWID;
      INSERT INTO topics VALUES ('orders', 1, '2026-01-01T00:00:00.000Z');
      INSERT INTO messages VALUES ('orders', 0, 0, 'k', 'thé', '{"trace":"a1"}', 1000);
      INSERT INTO messages VALUES ('orders', 0, 1, NULL, '{"id":2}', NULL, 1001);
      INSERT INTO group_offsets VALUES ('billing', 'orders', 0, 1, 1002);`);
    db.close();
    const b = new Broker(path);
    const r = await b.fetch('orders', {}, {max: 10, waitMs: 0, from: 'beginning'});
    assert.deepEqual(r.messages.map((m) => [m.key, m.value, m.headers]), [['k', 'thé', {trace: 'a1'}], [null, '{"id":2}', undefined]]);
    const raw = b.store.read('orders', 0, 0, 10);
    assert.ok(Buffer.isBuffer(raw[0].value) && raw[0].value.equals(Buffer.from('thé')));
    assert.deepEqual(decodeHeaders(raw[0].headers), [['trace', Buffer.from('a1')]]);
    assert.deepEqual(b.store.committed('billing', 'orders'), {0: 1});
    const [next] = await b.publish('orders', [{value: 'after'}]);
    assert.equal(next.offset, 2);
    b.close();
    const again = new Broker(path);
    assert.equal((await again.fetch('orders', {}, {max: 10, waitMs: 0, from: 'beginning'})).messages.length, 3, 'migrated once, reopened as is');
    again.close();
  });

  it('bytes that are not UTF-8 and null values come through the HTTP view as base64 and nullValue', async () => {
    const b = new Broker(join(dir, 'bin.db'));
    b.createTopic('raw', 1);
    await b.appendRecords('raw', 0, [{key: Buffer.from([0xc3]), value: null, headers: null}, {key: null, value: Buffer.from('plain'), headers: null}]);
    const r = await b.fetch('raw', {}, {max: 10, waitMs: 0, from: 'beginning'});
    assert.deepEqual(r.messages[0].binary, ['key']);
    assert.equal(r.messages[0].key, 'ww==');
    assert.equal(r.messages[0].nullValue, true);
    assert.equal(r.messages[1].value, 'plain');
    assert.equal(r.messages[1].binary, undefined);
    b.close();
  });
});
