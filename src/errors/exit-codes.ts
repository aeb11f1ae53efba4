/** Exit codes of every dial command (see README "Exit codes"). */
export const ExitCode = {
  Ok: 0,
  Failed: 1,
  Usage: 2,
  Unreachable: 3,
  /** An RPC ended with gRPC status N: the process exits with 64 + N. */
  RpcBase: 64,
  Interrupted: 130,
} as const;

export type ExitCodeValue = number;

/** The exit code for an RPC that ended with gRPC status `status` (1..16). */
export function rpcExitCode(status: number): number {
  return ExitCode.RpcBase + status;
}
