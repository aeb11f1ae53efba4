/**
 * Demo instance: the greeter over Thrift (the npm thrift package's server),
 * framed transport + binary protocol, TLS with client certificates in a
 * `cluster up --tls` cluster. The service is proto/helloworld/helloworld.thrift,
 * served from the IDL at run time (src/rpc/thrift/processor.ts). Registers as
 * service "greeter", protocol thrift, with metadata thrift_transport=framed,
 * thrift_protocol=binary and thrift_idl (the IDL's path), so
 * `dial call greeter Greeter.SayHello --protocol thrift` needs no --schema.
 *
 *   SayHello {"request": {"name": ...}}  -> {"message": "Hello, ada!", "instance": ...}
 *                                          (a name over 64 characters throws InvalidName)
 *   Notify {"note": ...}                 -> oneway: logged, counted, no reply
 *   NoteCount {}                         -> the notes received so far
 *
 * An injected fault answers TApplicationException INTERNAL_ERROR.
 */
import {join} from 'node:path';
import thrift from 'thrift';
import {packageRoot} from '../../runtime/entry-points.js';
import {ApplicationError, IdlProcessor} from '../../rpc/thrift/processor.js';
import {loadThriftSchema} from '../../rpc/thrift/schema.js';
import {applyFaults, identity, log, registerSelf, runInstance, serverTlsOptions} from '../instance-runtime.js';
import {greeting} from './greeting.js';

const me = identity();
const idl = join(packageRoot(), 'proto', 'helloworld', 'helloworld.thrift');
let notes = 0;

async function main(): Promise<void> {
  const schema = await loadThriftSchema(idl);
  const service = schema.services.find((s) => s.name === 'Greeter')!;
  const processor = new IdlProcessor(service, {
    async SayHello(args) {
      if ((await applyFaults()) === 'error') throw new ApplicationError(6, `injected fault on ${me.id}`);
      const name = (args.request as {name?: string} | undefined)?.name;
      if (name !== undefined && name.length > 64) return {invalid: {name, reason: 'a name has at most 64 characters'}};
      return {success: {message: greeting(name), instance: me.id}};
    },
    Notify(args) {
      notes++;
      log(`note: ${String(args.note ?? '')}`);
      return {};
    },
    NoteCount() {
      return {success: notes};
    },
  }, (e) => log(`call failed: ${e.message}`));
  const tls = serverTlsOptions(me);
  const server = (thrift as unknown as {createMultiplexServer: typeof thrift.createServer}).createMultiplexServer(processor as never, {transport: thrift.TFramedTransport, protocol: thrift.TBinaryProtocol, ...(tls ? {tls} : {})} as never);
  server.on('error', (e: Error) => log(`connection error: ${e.message}`));
  server.listen(Number(process.env.DIAL_INSTANCE_PORT ?? 0), me.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const hostPort = `${me.host.includes(':') ? `[${me.host}]` : me.host}:${port}`;
    registerSelf(me, {
      name: 'greeter', port, protocol: 'thrift', codec: 'thrift-binary',
      meta: {thrift_transport: 'framed', thrift_protocol: 'binary', thrift_idl: idl, thrift_service: 'Greeter'},
      check: {tcp: hostPort, interval: '1s', timeout: '1s'},
    }).then(() => runInstance(me, port, () => new Promise<void>((resolve) => server.close(() => resolve()))))
      .catch((e: Error) => {
        log(`start-up failed: ${e.message}`);
        process.exit(1);
      });
  });
}

main().catch((e: Error) => {
  log(`start-up failed: ${e.stack ?? e.message}`);
  process.exit(1);
});
