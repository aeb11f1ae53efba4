import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {acquirePidFile, isAlive, readPid, releasePidFile} from '../../src/runtime/index.js';

describe('pid files', () => {
  it('are created exclusively, refuse a live owner, and replace a stale one', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'dial-pid-'));
    t.after(() => rmSync(dir, {recursive: true, force: true}));
    const file = join(dir, 'daemon.pid');
    assert.equal(acquirePidFile(file, 4242), true);
    assert.equal(readPid(file), 4242);
    // A live owner (this test process) blocks acquisition.
    writeFileSync(file, `${process.pid}\n`);
    assert.equal(acquirePidFile(file, 4243), false);
    // A stale owner (no such process) is replaced.
    writeFileSync(file, '999999\n');
    assert.equal(isAlive(999999), false);
    assert.equal(acquirePidFile(file, 4244), true);
    assert.equal(readFileSync(file, 'utf8').trim(), '4244');
    releasePidFile(file, 1);
    assert.equal(existsSync(file), true, 'only the owner releases');
    releasePidFile(file, 4244);
    assert.equal(existsSync(file), false);
    assert.equal(readPid(file), undefined);
  });
});
