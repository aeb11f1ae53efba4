export {RegistryServer, type RegistryServerOptions} from './registry-server.js';
export {Store, type StoredService, type StoredCheck, type ServiceChange} from './store.js';
export {HealthChecker, type HealthCheckerOptions} from './health-checker.js';
export {Router, HttpError, readBody, parseJson, sendJson, sendText, type RequestContext, type Handler} from './http-kit.js';
export {blockIfAsked} from './routes.js';
