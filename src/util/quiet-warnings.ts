let installed = false;

/**
 * grpc-js always sends the target host as the TLS ServerName, and node warns
 * (DEP0123, "Setting the TLS ServerName to an IP address") on every
 * connection to an IP. Certificate checking still uses the IP SAN, so for a
 * CLI whose targets are mostly 127.0.0.1 the warning is noise on stderr:
 * this drops exactly that warning and passes every other one through.
 */
export function quietIpServerNameWarning(): void {
  if (installed) return;
  installed = true;
  const target = process as unknown as {emitWarning: (...args: unknown[]) => void};
  const original = target.emitWarning.bind(process);
  target.emitWarning = (...args: unknown[]) => {
    const isDep0123 = args.includes('DEP0123') || (typeof args[1] === 'object' && (args[1] as {code?: string} | null)?.code === 'DEP0123');
    if (!isDep0123) original(...args);
  };
}
