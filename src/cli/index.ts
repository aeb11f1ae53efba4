export {DialCommand, type FlagsOf} from './base-command.js';
export {Output, type OutputOptions} from './output.js';
export {globalFlags, registryFlags} from './flags.js';
export {toDialError} from './parse-errors.js';
export {withSpinner} from './progress.js';
export {commandStdin, withCommandStdin} from './stdin.js';
export {CommandSession, type CommandContext} from './session.js';
