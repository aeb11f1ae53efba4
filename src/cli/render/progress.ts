import cliProgress from 'cli-progress';
import type {LoadProgress} from '../../lb/real/types.js';

/** A progress bar on a terminal's stderr for load runs: requests done of the total (or time of the duration), errors, req/s. */
export function progressBar(stream: NodeJS.WriteStream): {update: (p: LoadProgress) => void; stop: () => void} {
  const bar = new cliProgress.SingleBar({
    stream, format: '{bar} {percentage}% | {done} requests, {errors} errors, {rate} req/s, {elapsed}s',
    barCompleteChar: '█', barIncompleteChar: '░', hideCursor: true, clearOnComplete: true,
  });
  let started = false;
  return {
    update: (p) => {
      const total = p.total ?? Math.round(p.durationMs ?? 1);
      const value = p.total !== undefined ? p.done : Math.min(Math.round(p.elapsedMs), total);
      const payload = {done: p.done, errors: p.errors, rate: p.elapsedMs > 0 ? Math.round((p.done / p.elapsedMs) * 1000) : 0, elapsed: (p.elapsedMs / 1000).toFixed(1)};
      if (!started) {
        bar.start(total, value, payload);
        started = true;
      } else bar.update(value, payload);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
