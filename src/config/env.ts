/**
 * Environment variables dial reads. Each is named in the --help of the flags
 * it backs; this table is the single source for the README's list.
 */
export const ENV = {
  DIAL_HOME: 'state folder (default $XDG_STATE_HOME/dial or ~/.local/state/dial)',
  DIAL_REGISTRY: 'registry URL: dial://HOST:PORT (default: the local cluster), consul://, etcd://, zk://',
  DIAL_TOKEN: 'ACL token sent to the registry (X-Consul-Token)',
  DIAL_PORT: 'registry API port for `dial cluster up` (default 7500)',
  DIAL_TLS_CA_DIR: 'CA folder for dial tls issue, revoke, crl and ca intermediate (default DIAL_HOME/tls/dial-ca)',
  DIAL_P12_PASSWORD: 'password for dial tls export --p12 and dial tls inspect of a .p12 file',
  NO_COLOR: 'disables color output (any value)',
  CI: 'when "true", dial never prompts',
} as const;

export type EnvName = keyof typeof ENV;
