export {startKafkaListener, type KafkaListener, type KafkaListenerOptions} from './server.js';
export {GroupProtocol} from './group-protocol.js';
export {SUPPORTED_VERSIONS} from './versions.js';
export {ErrorCode, ApiKey} from './wire.js';
