// Issuing a CA + a server + a client certificate in one dial process
// (`dial tls init`) against mkcert -ecdsa making its CA and one certificate
// (a fresh CAROOT each run). Target: dial (ECDSA) at most 3x node -e ''
// (the floor any node CLI pays; mkcert is native), and the mkcert ratio.
// Also reports RSA-2048. Node subjects also run with NODE_EXTRA_CA_CERTS
// when the machine sets it (withCaMs, withCaRatio to mkcert).
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {compare, round} from './harness.mjs';

const MKCERT = '/usr/bin/mkcert';

/** mkcert is a Debian package; install it when missing (as root), as the issue asks. */
function ensureMkcert() {
  if (existsSync(MKCERT)) return true;
  if (process.getuid?.() === 0) {
    process.stderr.write('bench tls: installing mkcert (apt-get install -y mkcert) ...\n');
    spawnSync('apt-get', ['install', '-y', 'mkcert'], {stdio: ['ignore', 'ignore', 'inherit']});
  }
  return existsSync(MKCERT);
}

export default async function tls({root, runs}) {
  const title = 'tls: CA + server + client certificate, whole process';
  if (!ensureMkcert()) return {title: `${title} (skipped: mkcert missing; apt-get install -y mkcert)`, rows: []};
  const tmp = mkdtempSync(join(tmpdir(), 'dial-bench-tls-'));
  const bin = join(root, 'bin', 'run.js');
  // Each run gets a fresh folder (mkcert: a new CAROOT, so it makes its CA too); the shell wraps all alike.
  const sh = (cmd) => ({cmd: '/bin/sh', args: ['-c', `d=$(mktemp -d -p ${tmp}) && ${cmd}`]});
  try {
    const rows = compare({
      anchor: {name: 'mkcert -ecdsa (new CA + 1 cert)', ...sh(`CAROOT=$d ${MKCERT} -ecdsa -cert-file $d/c.pem -key-file $d/k.pem example.test 2>/dev/null`)},
      subjects: [
        {name: 'dial tls init (ECDSA P-256: CA + 2 certs)', node: true, ...sh(`${process.execPath} ${bin} tls init --out $d >/dev/null`)},
        {name: 'dial tls init --key rsa-2048', node: true, ...sh(`${process.execPath} ${bin} tls init --key rsa-2048 --out $d >/dev/null`)},
        {name: "node -e '' (floor of any node process)", node: true, ...sh(`${process.execPath} -e ''`)},
      ],
      runs,
      bothCa: true,
    });
    const [ecdsa, node] = [rows[1], rows[3]];
    for (const r of rows.slice(1)) r.vsNode = round(r.medianMs / node.medianMs, 2);
    const ca = ecdsa.withCaMs === undefined ? '' : `; with NODE_EXTRA_CA_CERTS x${round(ecdsa.withCaMs / node.withCaMs, 2)} of node with it`;
    return {title, rows, target: `dial tls init (ECDSA) at most 3x node -e '' (x${ecdsa.vsNode}${ca}); of mkcert -ecdsa x${ecdsa.ratio}`};
  } finally {
    rmSync(tmp, {recursive: true, force: true});
  }
}
