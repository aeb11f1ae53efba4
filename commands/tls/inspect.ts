import {Args, Flags} from '@oclif/core';
import {existsSync} from 'node:fs';
import {DialCommand} from '../../src/cli/index.js';
import type {InspectFileResult} from '../../src/tls/inspect.js';
import type {InspectRemoteResult} from '../../src/tls/inspect-remote.js';

export default class TlsInspect extends DialCommand {
  static override summary = 'Show what is in a certificate file, or what a TLS server presents';
  static override description = `For a FILE (PEM, DER or PKCS#12): every certificate's subject, issuer, serial, subject alternative names, validity (days left; expired and not-yet-valid flagged), key type and size, key usages, fingerprints, and whether the chain is in order; keys (and whether they match the certificate), CSRs and CRLs too. For HOST:PORT: connects with TLS and shows the negotiated protocol, cipher and ALPN, whether the chain is trusted (--ca, else public roots), the presented chain, and whether the server accepted the client certificate (--cert/--key).`;
  static override examples = [
    {description: 'A certificate issued by dial, with its key checked', command: '<%= config.bin %> tls inspect ./certs/api-fullchain.pem --key ./certs/api-key.pem'},
    {description: 'A PKCS#12 bundle', command: '<%= config.bin %> tls inspect api.p12 --password changeit'},
    {description: 'A TLS server, with a client certificate for mutual TLS', command: '<%= config.bin %> tls inspect 127.0.0.1:8443 --ca ca.pem --cert client.pem --key client-key.pem'},
  ];
  static override args = {target: Args.string({description: 'A file, or HOST:PORT of a TLS server', required: true})};
  static override flags = {
    password: Flags.string({description: 'Password of a PKCS#12 file', env: 'DIAL_P12_PASSWORD'}),
    key: Flags.string({description: 'FILE: a private key to check against the certificate; HOST:PORT: the key of --cert'}),
    servername: Flags.string({description: 'HOST:PORT: the SNI name to send (default: HOST when it is a name)'}),
    ca: Flags.string({description: 'HOST:PORT: CA file to judge the chain against (default: public roots)'}),
    cert: Flags.string({description: 'HOST:PORT: client certificate to present'}),
    timeout: Flags.integer({description: 'HOST:PORT: handshake timeout in ms', default: 5000, min: 1}),
  };

  async run(): Promise<InspectFileResult | InspectRemoteResult> {
    const {args, flags} = await this.parse(TlsInspect);
    const render = await import('../../src/cli/render/tls.js');
    if (existsSync(args.target) || !/:\d{1,5}$/.test(args.target)) {
      const {inspectFile} = await import('../../src/tls/inspect.js');
      const r = await inspectFile(args.target, {password: flags.password, keyFile: flags.key});
      if (!this.jsonEnabled()) this.out.line(render.renderInspectFile(this.out, r));
      return r;
    }
    const {inspectRemote} = await import('../../src/tls/inspect-remote.js');
    const r = await inspectRemote(args.target, {servername: flags.servername, ca: flags.ca, cert: flags.cert, key: flags.key, timeoutMs: flags.timeout});
    if (!this.jsonEnabled()) this.out.line(render.renderInspectRemote(this.out, r));
    return r;
  }
}
