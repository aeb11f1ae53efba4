// dial --version / --help against a bare `node -e ''` (target ratio <= 1.3),
// and a command that goes through oclif, for scale. With NODE_EXTRA_CA_CERTS
// set on the machine, each also runs with it (withCaMs, withCaRatio).
import {compare} from './harness.mjs';

export default async function startup({root, runs}) {
  const bin = `${root}/bin/run.js`;
  const rows = compare({
    anchor: {name: "node -e ''", cmd: process.execPath, args: ['-e', '']},
    subjects: [
      {name: 'dial --version', cmd: process.execPath, args: [bin, '--version']},
      {name: 'dial --help', cmd: process.execPath, args: [bin, '--help']},
      {name: 'dial cluster status --json (no cluster; oclif path)', cmd: process.execPath, args: [bin, 'cluster', 'status', '--json'], allowExit: [3]},
    ],
    runs,
    env: {...process.env, DIAL_HOME: '/nonexistent/dial-bench-home'},
    bothCa: true,
  });
  const r = (n) => rows.find((x) => x.name === n);
  return {title: 'start-up (whole process)', rows, target: `dial --version (x${r('dial --version').ratio}) and --help (x${r('dial --help').ratio}) at most 1.3x node -e ""`};
}
