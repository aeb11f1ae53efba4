import {createRequire} from 'node:module';
import jsCrc32C from 'kafkajs/src/protocol/recordBatch/crc32C/index.js';

type Crc = (b: Buffer) => number;

/**
 * CRC-32C of record batches: @node-rs/crc32's native one (about 8x faster
 * than kafkajs's table-driven JavaScript, which made up a third of a
 * consume's CPU), or kafkajs's where no prebuilt binary exists for the platform.
 */
export const crc32C: Crc = (() => {
  try {
    const native = (createRequire(import.meta.url)('@node-rs/crc32') as {crc32c(b: Buffer): number}).crc32c;
    return (b: Buffer) => native(b) >>> 0;
  } catch {
    return (b: Buffer) => jsCrc32C(b) >>> 0;
  }
})();
