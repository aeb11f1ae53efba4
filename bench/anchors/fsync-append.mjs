// Anchor for the txn benchmark: append a log-record-sized line and fdatasync
// it, N times, in a plain script: what one forced log write costs on this disk.
import {closeSync, fdatasyncSync, openSync, rmSync, writeSync} from 'node:fs';

const [file, n = '200'] = process.argv.slice(2);
const fd = openSync(file, 'a');
const line = JSON.stringify({type: 'PREPARED', coordinator: 'c', txn: 'T1', protocol: '2pc', participants: ['p1', 'p2', 'p3'], deltas: {p1: -1, p2: 1, p3: 0}}) + '\n';
const t0 = performance.now();
for (let i = 0; i < Number(n); i++) {
  writeSync(fd, line);
  fdatasyncSync(fd);
}
const ms = (performance.now() - t0) / Number(n);
closeSync(fd);
rmSync(file, {force: true});
process.stdout.write(JSON.stringify({msPerForce: ms}) + '\n');
