import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Broker} from '../../src/broker/index.js';
import {startKafkaListener, type KafkaListener} from '../../src/broker/kafka/index.js';

/** Why a kcat test skips (undefined: kcat is there). */
export const KCAT_MISSING = spawnSync('kcat', ['-V']).status === 0 ? undefined : 'kcat is not installed: apt-get install -y kcat';

export interface LocalKafka {
  broker: Broker;
  listener: KafkaListener;
  bootstrap: string;
  close(): Promise<void>;
}

/** A broker on a temp broker.db with its Kafka listener on 127.0.0.1:0 (the daemon's wiring, in-process). */
export async function localKafka(): Promise<LocalKafka> {
  const dir = mkdtempSync(join(tmpdir(), 'dial-kafka-'));
  const broker = new Broker(join(dir, 'broker.db'));
  const listener = await startKafkaListener(broker, {host: '127.0.0.1', port: 0, groups: {initialDelayMs: 200}});
  return {
    broker, listener, bootstrap: `127.0.0.1:${listener.port}`,
    async close() {
      await listener.close();
      broker.close();
      rmSync(dir, {recursive: true, force: true});
    },
  };
}

/** Runs kcat with ARGS (stdin `input`), bounded by `timeoutMs`; resolves with its output and exit code. */
export function kcat(args: string[], input = '', timeoutMs = 20_000): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, {stdio: ['pipe', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({code: code ?? -1, stdout, stderr});
    });
    child.stdin.end(input);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
