/**
 * A signal that aborts when `parent` does or after `ms` (when given), held by
 * plain listeners and a ref'd timer. (AbortSignal.any / AbortSignal.timeout
 * hold their sources weakly; a long wait could see its timeout collected and
 * never fire.) abort() ends it early; call dispose() when done.
 */
export function abortAfter(parent: AbortSignal | undefined, ms?: number): {signal: AbortSignal; abort: () => void; dispose: () => void} {
  const ac = new AbortController();
  const onParent = () => ac.abort(parent?.reason);
  if (parent?.aborted) ac.abort(parent.reason);
  else parent?.addEventListener('abort', onParent, {once: true});
  const timer = ms === undefined ? undefined : setTimeout(() => ac.abort(new DOMException('timed out', 'TimeoutError')), ms);
  return {
    signal: ac.signal,
    abort: () => ac.abort(),
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
