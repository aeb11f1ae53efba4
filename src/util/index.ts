export {parseDuration, parseDurationFlag, parseGoDuration, toGoDuration, formatDuration} from './duration.js';
export {editDistance, suggest, didYouMean} from './suggest.js';
export {WalSync} from './wal-sync.js';
export {abortAfter} from './abort.js';
export {quietIpServerNameWarning} from './quiet-warnings.js';
export {ipVersion} from './ip.js';
