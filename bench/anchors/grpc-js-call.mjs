// Anchor: the minimal Node program that calls helloworld.Greeter/SayHello
// with @grpc/grpc-js and a pre-loaded .proto (no reflection). Usage: node grpc-js-call.mjs HOST:PORT
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {fileURLToPath} from 'node:url';

const proto = fileURLToPath(new URL('../../proto/helloworld/helloworld.proto', import.meta.url));
const def = protoLoader.loadSync(proto, {keepCase: false, longs: String, enums: String, defaults: true});
const {Greeter} = grpc.loadPackageDefinition(def).helloworld;
const client = new Greeter(process.argv[2], grpc.credentials.createInsecure());
client.sayHello({name: 'ada'}, (err, res) => {
  if (err) {
    console.error(err.message);
    process.exit(1);
  }
  console.log(JSON.stringify(res));
  client.close();
});
