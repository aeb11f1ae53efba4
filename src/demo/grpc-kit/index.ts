export {grpcServiceDefinition} from './service-definition.js';
export {addReflection, reflectionIndex, ReflectionIndex} from './reflection-service.js';
export {addConnectHealth, addConnectReflection, connectMetricsInterceptor} from './connect-services.js';
export {listenOnePort, type OnePortServer} from './one-port-server.js';
export {metricsInterceptor} from './metrics-interceptor.js';
