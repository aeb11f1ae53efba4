// The anchor of the RabbitMQ consume bench: the smallest amqplib consumer that
// does what `dial sub --broker amqp:// -n N` does (prefetch 500, print each
// body as a line, ack it, stop at N). Debian ships no RabbitMQ CLI consumer.
// Usage: node bench/amqplib-consumer.mjs URL QUEUE N
import amqp from 'amqplib';

const [url, queue, n] = process.argv.slice(2);
const max = Number(n);
const conn = await amqp.connect(url);
const ch = await conn.createChannel();
await ch.prefetch(500);
let seen = 0;
await new Promise((resolve) => {
  ch.consume(queue, (msg) => {
    if (!msg || seen >= max) return;
    process.stdout.write(msg.content.toString('utf8') + '\n');
    ch.ack(msg);
    if (++seen === max) resolve();
  });
});
// the channel close is answered after the acks before it: none is dropped with the connection
await ch.close();
await conn.close();
