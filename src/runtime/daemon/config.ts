/** How the CLI tells a daemon process what to run (passed as JSON in DIAL_DAEMON_CONFIG). */
export interface DaemonConfig {
  home: string;
  host: string;
  port: number;
  /** The broker's Kafka listener (0 = any free port). */
  kafkaPort?: number;
  instances: number;
  /** Demo names to start (see INSTANCE_KINDS); undefined = all. */
  demos?: string[];
  /**
   * `cluster up --tls`: the cluster CA, the certificate of the daemon and the
   * instances (server and client use), and the CLI's client certificate, which
   * cluster.json hands to clients.
   */
  tls?: {caFile: string; certFile: string; keyFile: string; clientCertFile?: string; clientKeyFile?: string};
  /** File holding the ACL token; writes need it when set. */
  tokenFile?: string;
  tokenReads?: boolean;
}

export const DAEMON_CONFIG_ENV = 'DIAL_DAEMON_CONFIG';
