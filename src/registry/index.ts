export * from './types.js';
export {MemoryRegistry} from './memory-registry.js';
export {ConsulApiRegistry} from './consul-api-registry.js';
export {HttpClient, type HttpClientOptions, type HttpResponse} from './http-client.js';
export {openRegistry, resolveRegistry, type OpenRegistryOptions, type ResolvedRegistry} from './open.js';
export * from './consul-json.js';
