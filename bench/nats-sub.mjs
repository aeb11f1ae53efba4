// The NATS anchor of bench/broker.mjs (Debian ships no `nats` CLI or `nats bench`): the least a
// program written with the NATS client does to consume N messages of SUBJECT and print each
// value, as `dial sub --broker nats:// -n N` does. Usage: node nats-sub.mjs HOST:PORT SUBJECT N
import {connect} from '@nats-io/transport-node';

const [server, subject, n] = process.argv.slice(2);
const nc = await connect({servers: server});
const sub = nc.subscribe(subject, {max: Number(n)});
await nc.flush();
process.stderr.write('subscribed\n');
for await (const m of sub) process.stdout.write(`${m.string()}\n`);
await nc.close();
