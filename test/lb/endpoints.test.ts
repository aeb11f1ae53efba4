import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {discoverEndpoints} from '../../src/lb/real/endpoints.js';
import {MemoryRegistry} from '../../src/registry/memory-registry.js';

describe('discoverEndpoints', () => {
  it('takes the gRPC instances whatever the spelling of their protocol, and weights from metadata', async () => {
    const reg = new MemoryRegistry();
    await reg.register({id: 'a', name: 'svc', address: '127.0.0.1', port: 1001, meta: {protocol: 'GRPC', weight: '3'}});
    await reg.register({id: 'b', name: 'svc', address: '127.0.0.1', port: 1002});
    await reg.register({id: 'c', name: 'svc', address: '127.0.0.1', port: 1003, meta: {protocol: 'jsonrpc'}});
    const eps = await discoverEndpoints(reg, 'svc');
    assert.deepEqual(eps.map((e) => [e.id, e.address, e.weight]).sort(), [['a', '127.0.0.1:1001', 3], ['b', '127.0.0.1:1002', 1]]);
  });
});
