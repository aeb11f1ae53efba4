// Preload (node --import) that records every module URL the process loads
// into the file named by DIAL_RECORD_IMPORTS, one per line.
import {register} from 'node:module';
import {appendFileSync} from 'node:fs';
import {MessageChannel} from 'node:worker_threads';

const file = process.env.DIAL_RECORD_IMPORTS;
const {port1, port2} = new MessageChannel();
port1.on('message', (url) => appendFileSync(file, url + '\n'));
port1.unref();
register('./record-imports-hooks.mjs', {parentURL: import.meta.url, data: {port: port2}, transferList: [port2]});
