// Preload (node --import) that records every module URL the process loads
// into the file named by DIAL_RECORD_IMPORTS, one per line. Vendored
// libraries (dist/vendor, run through vm.Script by src/util/vendor.ts) are
// recorded too, by their file URL.
import {register, syncBuiltinESMExports} from 'node:module';
import {appendFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';
import vm from 'node:vm';
import {MessageChannel} from 'node:worker_threads';

const file = process.env.DIAL_RECORD_IMPORTS;
const {port1, port2} = new MessageChannel();
port1.on('message', (url) => appendFileSync(file, url + '\n'));
port1.unref();
register('./record-imports-hooks.mjs', {parentURL: import.meta.url, data: {port: port2}, transferList: [port2]});

const Script = vm.Script;
vm.Script = class RecordedScript extends Script {
  constructor(code, options) {
    super(code, options);
    if (typeof options?.filename === 'string' && options.filename.endsWith('.cjs')) appendFileSync(file, pathToFileURL(options.filename).href + '\n');
  }
};
syncBuiltinESMExports();

// Node's own fetch stack (its internal copy of undici) loads on first use of a lazy global such as Headers.
process.on('exit', () => {
  if (process.moduleLoadList.some((m) => m.endsWith('internal/deps/undici/undici'))) appendFileSync(file, 'node:internal/deps/undici/undici\n');
});
