import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createInterface} from 'node:readline';
import {ROOT} from './cli.js';

export const THRIFT = '/usr/bin/thrift';
export const PYTHON = '/usr/bin/python3';
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'thrift');
export const INTEROP_IDL = join(FIXTURES, 'interop.thrift');
export const INCLUDE_DIR = join(FIXTURES, 'include');

/** Why the Thrift interop tests cannot run here (the Debian packages they need), or false. */
export function thriftMissing(): string | false {
  if (!existsSync(THRIFT)) return 'the thrift compiler is missing: apt-get install -y thrift-compiler python3-thrift';
  try {
    execFileSync(PYTHON, ['-c', 'import thrift'], {stdio: 'ignore'});
  } catch {
    return 'the Python Thrift library is missing: apt-get install -y thrift-compiler python3-thrift';
  }
  return false;
}

/** Runs Debian's thrift compiler (`thrift -r --gen LANG`) into a temp folder and returns it. */
export function generate(lang: 'py' | 'js:node', idl: string, includes: string[] = []): string {
  const out = mkdtempSync(join(tmpdir(), 'dial-thrift-gen-'));
  execFileSync(THRIFT, ['-r', '--gen', lang, ...includes.flatMap((i) => ['-I', i]), '-out', out, idl], {stdio: ['ignore', 'ignore', 'pipe']});
  return out;
}

export interface ServerProcess {
  ports: Record<string, number>;
  stop(): Promise<void>;
}

/** Starts a server script that prints its ports as one JSON line and stops when stdin closes. */
export async function startServer(command: string, args: string[], env: NodeJS.ProcessEnv = {}, cleanup: string[] = []): Promise<ServerProcess> {
  const child: ChildProcess = spawn(command, args, {stdio: ['pipe', 'pipe', 'pipe'], env: {...process.env, ...env}});
  // The servers log each request and handler error on stderr: keep the end of it for a start-up failure.
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')} printed no ports within 15s: ${stderr}`)), 15_000);
    createInterface({input: child.stdout!}).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as Record<string, number>);
    });
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}: ${stderr}`)));
  });
  return {
    ports,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin!.end();
      const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(hard);
      for (const dir of cleanup) rmSync(dir, {recursive: true, force: true});
    },
  };
}

/** Python's server (py_server.py) on code generated from interop.thrift. */
export async function startPythonServer(): Promise<ServerProcess> {
  const gen = generate('py', INTEROP_IDL, [INCLUDE_DIR]);
  return startServer(PYTHON, [join(FIXTURES, 'py_server.py'), gen], {}, [gen]);
}

/** The npm thrift package's server (npm_server.cjs) on code generated from interop.thrift. */
export async function startNpmServer(): Promise<ServerProcess> {
  const gen = generate('js:node', INTEROP_IDL, [INCLUDE_DIR]);
  return startServer(process.execPath, [join(FIXTURES, 'npm_server.cjs'), gen], {NODE_PATH: join(ROOT, 'node_modules')}, [gen]);
}
