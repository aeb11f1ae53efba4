import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {dialHome, readClusterFile, writeClusterFile, type ClusterInfo} from '../../src/config/index.js';

describe('DIAL_HOME', () => {
  it('is $DIAL_HOME, else $XDG_STATE_HOME/dial, else ~/.local/state/dial', () => {
    assert.equal(dialHome({DIAL_HOME: '/tmp/x'}), '/tmp/x');
    assert.equal(dialHome({XDG_STATE_HOME: '/tmp/state'}), '/tmp/state/dial');
    assert.equal(dialHome({}), join(homedir(), '.local', 'state', 'dial'));
  });
});

describe('cluster.json', () => {
  it('round-trips, is written 0600 and atomically, and a corrupt file is a clear error', (t) => {
    const home = mkdtempSync(join(tmpdir(), 'dial-cfg-'));
    t.after(() => rmSync(home, {recursive: true, force: true}));
    assert.equal(readClusterFile(home), undefined);
    const info: ClusterInfo = {
      version: 1, pid: 123, startedAt: new Date().toISOString(), home, api: {host: '127.0.0.1', port: 7500, url: 'http://127.0.0.1:7500'},
      logFile: join(home, 'daemon.log'), stateDb: join(home, 'state.db'), instances: 3,
    };
    writeClusterFile(info);
    assert.deepEqual(readClusterFile(home), info);
    assert.equal(statSync(join(home, 'cluster.json')).mode & 0o777, 0o600);
    writeFileSync(join(home, 'cluster.json'), '{not json');
    assert.throws(() => readClusterFile(home), (e: Error & {code: string; hint: string}) => e.code === 'CLUSTER_FILE_CORRUPT' && /dial cluster down/.test(e.hint));
    assert.ok(readFileSync(join(home, 'cluster.json'), 'utf8').startsWith('{not'), 'a corrupt file is left for the user to inspect');
  });
});
