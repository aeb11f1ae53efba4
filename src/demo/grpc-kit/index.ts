export {grpcServiceDefinition} from './service-definition.js';
export {addReflection, ReflectionIndex} from './reflection-service.js';
export {metricsInterceptor} from './metrics-interceptor.js';
