export {buildRequest, fieldTypeLabel} from './build-request.js';
export {inquirerPrompter, RequestCancelled, type Choice, type Prompter} from './prompter.js';
export {parseScalar, scalarName, type Parsed} from './scalars.js';
export {wellKnownAsk, type Ask} from './well-known.js';
