import assert from 'node:assert/strict';
import {appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {FileLog, readLogFile} from '../../src/txn/real/file-log.js';
import type {LogRecord} from '../../src/txn/types.js';

const rec = (txn: string): LogRecord => ({type: 'END', txn});
/** The transaction ids of a log's records, in order. */
const txns = (path: string) => readLogFile(path).records.map((r) => ('txn' in r ? r.txn : r.type));
const dir = (t: {after: (fn: () => void) => void}) => {
  const d = mkdtempSync(join(tmpdir(), 'dial-file-log-'));
  t.after(() => rmSync(d, {recursive: true, force: true}));
  return d;
};

describe('txn durable log file', () => {
  it('a torn last record (a crash mid-write) is cut off on open, and appends go on after the last whole record', async (t) => {
    const path = join(dir(t), 'c.log');
    const a = new FileLog(path);
    await a.append(rec('T1'), true);
    await a.append(rec('T2'), true);
    await a.close();
    appendFileSync(path, '{"type":"COMMIT","txn":"T3","partici');
    const b = new FileLog(path);
    assert.equal(readFileSync(path, 'utf8').endsWith('"T2"}\n'), true, 'the torn tail is gone');
    await b.append(rec('T4'), true);
    await b.close();
    assert.deepEqual(txns(path), ['T1', 'T2', 'T4']);
  });

  it('a file with no whole record is emptied; a missing file is created; unforced records reach the file on close', async (t) => {
    const d = dir(t);
    const torn = join(d, 'torn.log');
    writeFileSync(torn, '{"type":"BEG');
    const a = new FileLog(torn);
    assert.equal(statSync(torn).size, 0);
    a.append(rec('T1'), false);
    await a.close();
    assert.deepEqual(txns(torn), ['T1']);
    const fresh = join(d, 'fresh.log');
    const b = new FileLog(fresh);
    await b.append(rec('T9'), true);
    await b.close();
    assert.deepEqual(txns(fresh), ['T9']);
  });

  it('opening a long log finds its end from the back (records longer than one read chunk included)', async (t) => {
    const path = join(dir(t), 'long.log');
    const big = {type: 'BEGIN', txn: 'T0', protocol: '2pc', participants: ['p1'], deltas: {p1: 0}, pad: 'x'.repeat(200_000)};
    writeFileSync(path, Array.from({length: 20}, (_, i) => JSON.stringify({type: 'END', txn: `T${i}`})).join('\n') + '\n' + JSON.stringify(big) + '\n' + '{"torn');
    const a = new FileLog(path);
    await a.append(rec('T99'), true);
    await a.close();
    const ids = txns(path);
    assert.equal(ids.length, 22);
    assert.deepEqual(ids.slice(-2), ['T0', 'T99']);
  });

  it('a last whole line that is not a record is corruption, not a torn write: refused, the file left as it was', (t) => {
    const path = join(dir(t), 'bad.log');
    writeFileSync(path, JSON.stringify(rec('T1')) + '\nnot json\n');
    const before = readFileSync(path, 'utf8');
    assert.throws(() => new FileLog(path), /byte \d+ is not a log record.*corrupt/);
    assert.equal(readFileSync(path, 'utf8'), before);
  });
});
