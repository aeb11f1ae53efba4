import {DialError, ExitCode, findErrno, unreachableError} from '../../errors/index.js';
import {BROKER_NAMES} from './url.js';
import type {BrokerUrl} from './types.js';

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** A failure to connect: exit 3 for network errors (naming the address), else exit 1 with the broker's reason. */
export function connectError(b: BrokerUrl, e: unknown, reason?: string): DialError {
  if (e instanceof DialError) return e;
  const errno = findErrno(e);
  const name = `${BROKER_NAMES[b.kind]} at ${b.address}`;
  if ((errno && NETWORK.has(errno)) || /timed? ?out|timeout/i.test(String((e as Error)?.message))) {
    return unreachableError(name, e, `start the broker, or check --broker / DIAL_BROKER (${b.kind === 'amqp' ? 'amqp://user:pass@host:5672/vhost' : `${b.kind}://host:port`})`);
  }
  return new DialError('BROKER_REFUSED', `${name} refused the connection: ${reason ?? (e as Error)?.message ?? String(e)}`, {
    hint: /auth|login|credential|access.refused|not authori[sz]ed|bad user/i.test(reason ?? String((e as Error)?.message)) ? 'check the user and password in --broker (user:pass@host)' : 'check --broker and the broker\'s log',
    exitCode: ExitCode.Failed,
    cause: e,
  });
}

/** An operation the broker refused (a bad topic name, a missing exchange ...): exit 1 with its reason. */
export function brokerError(b: BrokerUrl, what: string, e: unknown, hint = 'check the name and the broker\'s log'): DialError {
  if (e instanceof DialError) return e;
  return new DialError('BROKER_ERROR', `${BROKER_NAMES[b.kind]} at ${b.address}: ${what}: ${(e as Error)?.message ?? String(e)}`, {hint, exitCode: ExitCode.Failed, cause: e});
}

/** The connection dropped while consuming. */
export function lostError(b: BrokerUrl, e: unknown, handled: number): DialError {
  return new DialError('BROKER_CONNECTION_LOST', `lost the connection to ${BROKER_NAMES[b.kind]} at ${b.address} after ${handled} message(s): ${(e as Error)?.message ?? String(e)}`, {
    hint: 'every printed message was acknowledged; the others stay with the broker: run the command again when it is back',
    exitCode: ExitCode.Unreachable,
    cause: e,
  });
}
