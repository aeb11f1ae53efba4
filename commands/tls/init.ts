import {Flags} from '@oclif/core';
import {DialCommand} from '../../src/cli/index.js';
import {runTlsInit} from '../../src/cli/run/tls-init.js';
import {forceFlag, keyTypeFlag} from '../../src/cli/tls-flags.js';
import type {TlsInitResult} from '../../src/tls/quickstart.js';

export default class TlsInit extends DialCommand {
  static override summary = 'Make everything for mutual TLS at once: a CA, a server and a client certificate';
  static override description = `Creates a root CA in OUT/ca, a server certificate (OUT/server.pem, for localhost, 127.0.0.1 and ::1 unless --dns/--ip say otherwise) and a client certificate (OUT/client.pem), with their keys (0600). The same as 'tls ca create' plus two 'tls issue', in one process.`;
  static override examples = [
    {description: 'Into DIAL_HOME/tls/mtls', command: '<%= config.bin %> tls init'},
    {description: 'RSA keys for a named host, into ./mtls', command: '<%= config.bin %> tls init --key rsa-2048 --dns api.internal --out ./mtls'},
  ];
  static override flags = {
    out: Flags.string({description: 'Folder to write into (default: DIAL_HOME/tls/mtls)'}),
    key: keyTypeFlag,
    dns: Flags.string({description: 'DNS name of the server certificate (repeatable)', multiple: true}),
    ip: Flags.string({description: 'IP address of the server certificate (repeatable)', multiple: true}),
    force: forceFlag,
  };

  async run(): Promise<TlsInitResult> {
    const {flags} = await this.parse(TlsInit);
    return runTlsInit(this.context, undefined, flags);
  }
}
