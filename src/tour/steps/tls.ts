import {join} from 'node:path';
import type {TourStep} from '../types.js';

export const tlsStep: TourStep = {
  id: 'tls',
  title: 'Certificates and mutual TLS',
  async run(ctx) {
    const pki = join(ctx.home, 'pki');
    ctx.say('`dial tls` is a small certificate authority, like mkcert or step: a CA, then certificates it signs\n(random 128-bit serials, the right key usages, SANs of every kind, keys written 0600).');
    await ctx.show(['tls', 'ca', 'create', '--name', 'Tour CA', '--out', join(pki, 'ca')]);
    await ctx.show(['tls', 'issue', 'alice', '--ca', join(pki, 'ca'), '--client', '--email', 'alice@example.test', '--uri', 'spiffe://example.test/alice', '--out', pki]);
    ctx.say('`tls verify` checks chain, validity, CA constraints, purpose, host and revocation, and says exactly what fails:');
    await ctx.show(['tls', 'verify', join(pki, 'alice.pem'), '--ca', join(pki, 'ca'), '--purpose', 'server'], {expectExit: 1});
    const mtls = join(ctx.home, 'mtls');
    ctx.say(`\`cluster up --tls\` runs a cluster where the registry API and every instance require client certificates
from the cluster CA (made once in DIAL_HOME/tls/cluster). This one runs beside the tour's cluster, in ${mtls}:`);
    try {
      await ctx.show(['cluster', 'up', '--tls', '--port', '0', '--instances', '1', '--demos', 'grpc'], {home: mtls});
      ctx.say('The CLI finds its client certificate through cluster.json, so calls just work (accepted):');
      await ctx.show(['call', 'greeter', 'helloworld.Greeter/SayHello', '-d', '{"name":"ada"}'], {home: mtls});
      const d = await ctx.json<{instances: {address: string; port: number}[]}>(['discover', 'greeter'], {home: mtls});
      const target = `${d.instances[0].address}:${d.instances[0].port}`;
      const ca = join(mtls, 'tls', 'cluster', 'ca', 'ca.pem');
      ctx.say("Alice's certificate comes from the tour CA, which the cluster does not trust: the instance refuses her call,\nand dial says which side refused what:");
      await ctx.show(['call', target, 'helloworld.Greeter/SayHello', '-d', '{"name":"alice"}', '--cacert', ca, '--cert', join(pki, 'alice-fullchain.pem'), '--key', join(pki, 'alice-key.pem')], {home: mtls, expectExit: 3});
      ctx.say('`tls inspect HOST:PORT` shows what the instance presents (chain, protocol, cipher) and its verdict; --json for all of it:');
      await ctx.show(['tls', 'inspect', target, '--ca', ca, '--cert', join(mtls, 'tls', 'cluster', 'cli.pem'), '--key', join(mtls, 'tls', 'cluster', 'cli-key.pem')], {home: mtls});
    } finally {
      await ctx.show(['cluster', 'down'], {home: mtls});
    }
  },
};
