export {serveHttpInstance, readBody, answerHealth, type HttpRegistration} from './serve.js';
