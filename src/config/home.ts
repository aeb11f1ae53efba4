import {mkdirSync} from 'node:fs';
import {homedir} from 'node:os';
import {join, resolve} from 'node:path';

/**
 * DIAL_HOME: $DIAL_HOME, else $XDG_STATE_HOME/dial, else ~/.local/state/dial.
 * Everything dial writes (cluster.json, pid, logs, state, certificates) lives here.
 */
export function dialHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DIAL_HOME) return resolve(env.DIAL_HOME);
  if (env.XDG_STATE_HOME) return join(resolve(env.XDG_STATE_HOME), 'dial');
  return join(homedir(), '.local', 'state', 'dial');
}

/** Creates DIAL_HOME (0700) when missing and returns it. */
export function ensureDialHome(home = dialHome()): string {
  mkdirSync(home, {recursive: true, mode: 0o700});
  return home;
}

/** Well-known paths inside DIAL_HOME. */
export function homePaths(home = dialHome()) {
  return {
    home,
    clusterFile: join(home, 'cluster.json'),
    pidFile: join(home, 'daemon.pid'),
    lockFile: join(home, 'daemon.lock'),
    logFile: join(home, 'daemon.log'),
    stateDb: join(home, 'state.db'),
    instancesDir: join(home, 'instances'),
    tlsDir: join(home, 'tls'),
    historyFile: join(home, 'repl_history'),
    tokenFile: join(home, 'token'),
  };
}

export type HomePaths = ReturnType<typeof homePaths>;
