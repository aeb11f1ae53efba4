/** How the CLI tells a daemon process what to run (passed as JSON in DIAL_DAEMON_CONFIG). */
export interface DaemonConfig {
  home: string;
  host: string;
  port: number;
  instances: number;
  /** Demo names to start (see INSTANCE_KINDS); undefined = all. */
  demos?: string[];
  tls?: {caFile: string; certFile: string; keyFile: string};
  /** File holding the ACL token; writes need it when set. */
  tokenFile?: string;
  tokenReads?: boolean;
}

export const DAEMON_CONFIG_ENV = 'DIAL_DAEMON_CONFIG';
