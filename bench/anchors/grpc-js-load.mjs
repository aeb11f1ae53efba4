// Anchor for `dial bench`: the minimal grpc-js load loop, N unary SayHello
// calls with C in flight on one channel, pre-loaded .proto. Prints {"rps": ...}.
// Usage: node grpc-js-load.mjs HOST:PORT N C
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {fileURLToPath} from 'node:url';

const proto = fileURLToPath(new URL('../../proto/helloworld/helloworld.proto', import.meta.url));
const def = protoLoader.loadSync(proto, {keepCase: false, longs: String, enums: String, defaults: true});
const {Greeter} = grpc.loadPackageDefinition(def).helloworld;
const [target, n, c] = [process.argv[2], Number(process.argv[3] ?? 5000), Number(process.argv[4] ?? 50)];
const client = new Greeter(target, grpc.credentials.createInsecure());
await new Promise((resolve, reject) => client.waitForReady(Date.now() + 5000, (e) => (e ? reject(e) : resolve())));
let issued = 0;
let errors = 0;
const t0 = performance.now();
await Promise.all(Array.from({length: c}, async () => {
  while (issued < n) {
    issued++;
    await new Promise((resolve) => client.sayHello({name: 'ada'}, (err) => {
      if (err) errors++;
      resolve();
    }));
  }
}));
const ms = performance.now() - t0;
client.close();
console.log(JSON.stringify({rps: (n / ms) * 1000, errors, ms}));
