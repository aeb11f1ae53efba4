import {DialError, ExitCode} from '../errors/index.js';
import type {SchemaFiles} from './file-source.js';

/** The gRPC family reads .proto files and descriptor sets; a Thrift IDL is for Thrift calls (src/rpc/thrift/ where that protocol is built in). */
export function refuseThrift(s: SchemaFiles | undefined): void {
  const file = s?.thriftFiles?.[0];
  if (file) {
    throw new DialError('USAGE', `--schema ${file} is a Thrift IDL, and this dial build calls and lists Thrift services only through dial codec`, {
      hint: 'encode or decode Thrift with: dial codec encode --codec thrift-binary|thrift-compact --schema FILE.thrift --type STRUCT; gRPC takes .proto files (--proto/--schema) or --protoset',
      exitCode: ExitCode.Usage,
    });
  }
}

/** REST, JSON-RPC, XML-RPC and SOAP read no schema files: refused when the protocol was only found out late (an HTTP method as METHOD, the registry). */
export function refuseSchemaFiles(s: SchemaFiles | undefined, protocol: string): void {
  const file = s?.protoFiles?.[0] ?? s?.protosets?.[0] ?? s?.thriftFiles?.[0];
  if (file) {
    throw new DialError('USAGE', `the schema file ${file} makes no sense for a ${protocol} call: it takes no schema file`, {
      hint: protocol === 'soap' ? 'SOAP reads its WSDL: --wsdl FILE|URL' : 'schema files apply to gRPC, gRPC-Web and Connect (.proto, --protoset) and to Thrift (--schema FILE.thrift)',
      exitCode: ExitCode.Usage,
    });
  }
}
