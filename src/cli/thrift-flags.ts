import {Flags} from '@oclif/core';
import {THRIFT_PROTOCOLS, THRIFT_TRANSPORTS} from '../rpc/thrift/names.js';

/** --schema FILE.thrift for list, describe and call: the Thrift IDL (its includes beside it or under -I). */
export const thriftSchemaFlag = {
  schema: Flags.string({description: 'Thrift IDL (FILE.thrift) of the service: list, describe and call it in Thrift (includes beside the file or under -I)', helpGroup: 'SCHEMA'}),
};

/** dial call: the Thrift transport and protocol (default: the instance's registry metadata, else framed + binary). */
export const thriftCallFlags = {
  ...thriftSchemaFlag,
  'thrift-transport': Flags.string({description: 'Thrift transport (default: the instance\'s metadata thrift_transport, else framed; a URL target means http)', options: [...THRIFT_TRANSPORTS], helpGroup: 'THRIFT'}),
  'thrift-protocol': Flags.string({description: 'Thrift protocol (default: the instance\'s metadata thrift_protocol, else binary)', options: [...THRIFT_PROTOCOLS], helpGroup: 'THRIFT'}),
};
