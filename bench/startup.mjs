// dial --version / --help against a bare `node -e ''` (target ratio <= 2.0).
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
  });
  return {title: 'start-up (whole process)', rows, target: 'dial --version and --help at most 2.0x node -e ""'};
}
