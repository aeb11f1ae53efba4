import {Flags} from '@oclif/core';
import {THRIFT_PROTOCOLS, THRIFT_TRANSPORTS} from '../rpc/thrift/names.js';

/**
 * dial call: the Thrift transport and protocol (default: the instance's
 * registry metadata, else framed + binary). The IDL itself comes through the
 * shared schema flags (`--schema FILE.thrift`, `-I`: src/cli/schema-flags.ts).
 */
export const thriftCallFlags = {
  'thrift-transport': Flags.string({description: 'Thrift transport (default: the instance\'s metadata thrift_transport, else framed; a URL target means http)', options: [...THRIFT_TRANSPORTS], helpGroup: 'THRIFT'}),
  'thrift-protocol': Flags.string({description: 'Thrift protocol (default: the instance\'s metadata thrift_protocol, else binary)', options: [...THRIFT_PROTOCOLS], helpGroup: 'THRIFT'}),
};
