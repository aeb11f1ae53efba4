/**
 * `dial txn run --participant URL...` runs its coordinator in this child
 * process, so a crash point is a real SIGKILL of the coordinator while the
 * CLI lives on to report what the databases hold. Gets the request over IPC,
 * sends back events and the result.
 */
import {DialError} from '../../errors/index.js';
import {runDbTransaction, type DbRunRequest} from './run.js';

type Msg = {home: string; req: DbRunRequest; env?: Record<string, string>};

process.once('message', (m: Msg) => {
  const send = (x: unknown) => new Promise<void>((resolve) => process.send!(x, () => resolve()));
  void (async () => {
    try {
      const result = await runDbTransaction(m.home, m.req, {
        onEvent: (e) => void send({event: e}),
        onTxn: (txn, before) => void send({txn, before}),
        // Events before the crash reach the CLI first; then the coordinator dies for real.
        crash: async () => {
          await send({flush: true});
          process.kill(process.pid, 'SIGKILL');
          await new Promise(() => undefined);
        },
      });
      await send({result});
    } catch (e) {
      const err = e instanceof DialError ? e.toJSON().error : {code: 'TXN_FAILED', message: (e as Error).message, exitCode: 1};
      await send({error: err});
    }
    process.disconnect();
  })();
});
