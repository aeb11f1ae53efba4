// Anchor: a minimal @grpc/grpc-js client (pre-loaded .proto) that prints each
// message of helloworld.Greeter/SayHelloStreamReply as one JSON line.
// Usage: node grpc-js-stream.mjs HOST:PORT COUNT
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {fileURLToPath} from 'node:url';

const proto = fileURLToPath(new URL('../../proto/helloworld/helloworld.proto', import.meta.url));
const def = protoLoader.loadSync(proto, {keepCase: false, longs: String, enums: String, defaults: false});
const {Greeter} = grpc.loadPackageDefinition(def).helloworld;
const client = new Greeter(process.argv[2], grpc.credentials.createInsecure());
const call = client.sayHelloStreamReply({name: 'ada', count: Number(process.argv[3])});
let buf = '';
call.on('data', (m) => {
  buf += JSON.stringify(m) + '\n';
  if (buf.length > 65536) {
    process.stdout.write(buf);
    buf = '';
  }
});
call.on('end', () => {
  process.stdout.write(buf);
  client.close();
});
call.on('error', (e) => {
  console.error(e.message);
  process.exit(1);
});
