import {Args, Flags} from '@oclif/core';
import {join} from 'node:path';
import {DialCommand} from '../../src/cli/index.js';
import {caDirFlag, forceFlag, keyTypeFlag, validityFlags} from '../../src/cli/tls-flags.js';
import {homePaths} from '../../src/config/index.js';
import type {IssueResult} from '../../src/tls/issue.js';
import type {KeyType} from '../../src/tls/key-types.js';

export default class TlsIssue extends DialCommand {
  static override summary = 'Issue a server, client or mutual-TLS certificate signed by a CA';
  static override description = `Generates a key (or signs --csr, a PKCS#10 request made elsewhere) and issues a certificate with a random 128-bit serial, basicConstraints CA:FALSE, keyUsage digitalSignature (plus keyEncipherment for RSA servers) and extendedKeyUsage serverAuth (--server, the default), clientAuth (--client) or both (--both). Names go in subjectAltName: --dns, --ip, --uri (e.g. SPIFFE IDs) and --email; a server certificate whose NAME is a host name gets it as its DNS name when none is given. Writes NAME.pem, NAME-fullchain.pem (with intermediates) and NAME-key.pem (PKCS#8, 0600) into --out (default DIAL_HOME/tls/certs) and refuses to overwrite them without --force.`;
  static override examples = [
    {description: 'A server certificate for localhost', command: '<%= config.bin %> tls issue localhost --dns localhost --ip 127.0.0.1 --ip ::1'},
    {description: 'A client certificate with a SPIFFE ID and an email', command: '<%= config.bin %> tls issue alice --client --uri spiffe://example.org/ns/dev/sa/alice --email alice@example.org'},
    {description: 'A mutual-TLS peer certificate from ./pki/issuing, 30 days, with an organization', command: `<%= config.bin %> tls issue api --ca ./pki/issuing --both --dns api.internal --days 30 --subject 'O=Acme, OU=Payments' --out ./pki/certs`},
    {description: 'Sign a CSR made by openssl', command: '<%= config.bin %> tls issue web --csr web.csr --dns web.example.com'},
  ];
  static override args = {name: Args.string({description: 'Certificate name: file names NAME.pem, NAME-key.pem, and the default CN', required: true})};
  static override flags = {
    ca: caDirFlag(),
    out: Flags.string({description: 'Folder to write into (default: DIAL_HOME/tls/certs)'}),
    server: Flags.boolean({description: 'TLS server certificate (serverAuth; the default)', exclusive: ['client', 'both']}),
    client: Flags.boolean({description: 'TLS client certificate (clientAuth)', exclusive: ['server', 'both']}),
    both: Flags.boolean({description: 'Server and client (serverAuth + clientAuth), for mutual-TLS peers', exclusive: ['server', 'client']}),
    dns: Flags.string({description: 'DNS name (repeatable; wildcards like *.example.com allowed)', multiple: true}),
    ip: Flags.string({description: 'IP address (repeatable)', multiple: true}),
    uri: Flags.string({description: 'URI, e.g. spiffe://trust-domain/path (repeatable)', multiple: true}),
    email: Flags.string({description: 'Email address (repeatable)', multiple: true}),
    cn: Flags.string({description: 'Subject common name (default: NAME)'}),
    subject: Flags.string({description: "More subject attributes, e.g. 'O=Acme, OU=Payments, C=US'"}),
    key: keyTypeFlag,
    csr: Flags.string({description: 'Sign this PKCS#10 request instead of generating a key (PEM or DER)', exclusive: ['key']}),
    ...validityFlags,
    'not-before': Flags.string({description: 'Start of validity, ISO 8601 (default: now, minus a minute for clock skew)'}),
    force: forceFlag,
  };

  async run(): Promise<IssueResult> {
    const {args, flags} = await this.parse(TlsIssue);
    const {issueCertificate} = await import('../../src/tls/issue.js');
    const tlsDir = homePaths(this.home).tlsDir;
    const r = await issueCertificate({
      name: args.name, ca: flags.ca ?? join(tlsDir, 'dial-ca'), out: flags.out ?? join(tlsDir, 'certs'),
      profile: flags.both ? 'both' : flags.client ? 'client' : 'server',
      dns: flags.dns, ip: flags.ip, uri: flags.uri, email: flags.email, cn: flags.cn, subject: flags.subject,
      keyType: flags.key as KeyType | undefined, csr: flags.csr, days: flags.days, notAfter: flags['not-after'], notBefore: flags['not-before'], force: flags.force,
    });
    if (!this.jsonEnabled()) {
      const {renderIssueResult} = await import('../../src/cli/render/tls.js');
      this.out.line(renderIssueResult(this.out, r));
    }
    return r;
  }
}
