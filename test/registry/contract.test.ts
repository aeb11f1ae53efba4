import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ConsulApiRegistry, EtcdRegistry, MemoryRegistry, ZookeeperRegistry} from '../../src/registry/index.js';
import {startEtcd, startZookeeper} from '../helpers/stores.js';
import {RegistryServer} from '../../src/registry/server/index.js';
import {registryContract} from './contract.js';

const memory = new MemoryRegistry();
registryContract('memory', async () => ({open: async () => memory, caps: {ttl: 'status'}}));

registryContract('embedded daemon (Consul HTTP API)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dial-contract-'));
  const server = new RegistryServer({dbPath: join(dir, 'state.db')});
  const {port} = await server.listen();
  return {
    open: async () => new ConsulApiRegistry(`dial://127.0.0.1:${port}`, {baseUrl: `http://127.0.0.1:${port}`, peerName: 'test daemon', unreachableHint: ''}),
    stop: async () => {
      await server.close();
      rmSync(dir, {recursive: true, force: true});
    },
    caps: {ttl: 'status'},
  };
});

registryContract('etcd v3 (real etcd server)', async () => {
  const srv = await startEtcd();
  if (typeof srv === 'string') return srv;
  return {open: async () => new EtcdRegistry(`etcd://${srv.hostPort}`, [srv.hostPort]), stop: srv.stop, caps: {ttl: 'lease'}};
});

registryContract('ZooKeeper (real ZooKeeper server)', async () => {
  const srv = await startZookeeper();
  if (typeof srv === 'string') return srv;
  return {open: async () => new ZookeeperRegistry(`zk://${srv.hostPort}`, [srv.hostPort]), stop: srv.stop, caps: {ttl: 'none'}};
});
