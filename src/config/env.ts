/**
 * Environment variables dial reads. Each is named in the --help of the flags
 * it backs; this table is the single source for the README's list.
 */
export const ENV = {
  DIAL_HOME: 'state folder (default $XDG_STATE_HOME/dial or ~/.local/state/dial)',
  DIAL_REGISTRY: 'registry URL: dial://HOST:PORT (default: the local cluster), consul://, etcd://, zk://',
  DIAL_TOKEN: 'ACL token sent to the registry (X-Consul-Token)',
  DIAL_PORT: 'registry API port for `dial cluster up` (default 7500)',
  NO_COLOR: 'disables color output (any value)',
  CI: 'when "true", dial never prompts',
} as const;

export type EnvName = keyof typeof ENV;
