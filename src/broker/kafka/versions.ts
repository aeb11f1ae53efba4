import {ApiKey} from './wire.js';

/**
 * The versions the listener serves, per API key: all of them before Kafka's
 * "flexible" encodings (tagged fields, compact strings), which kcat
 * (librdkafka) and kafkajs accept as the broker's maximum and use.
 */
export const SUPPORTED_VERSIONS: Record<number, [min: number, max: number]> = {
  [ApiKey.Produce]: [3, 7],
  [ApiKey.Fetch]: [4, 11],
  [ApiKey.ListOffsets]: [0, 5],
  [ApiKey.Metadata]: [0, 6],
  [ApiKey.OffsetCommit]: [0, 7],
  [ApiKey.OffsetFetch]: [1, 5],
  [ApiKey.FindCoordinator]: [0, 2],
  [ApiKey.JoinGroup]: [0, 5],
  [ApiKey.Heartbeat]: [0, 3],
  [ApiKey.LeaveGroup]: [0, 3],
  [ApiKey.SyncGroup]: [0, 3],
  [ApiKey.DescribeGroups]: [0, 4],
  [ApiKey.ListGroups]: [0, 2],
  [ApiKey.ApiVersions]: [0, 2],
  [ApiKey.CreateTopics]: [0, 4],
};

export function isSupported(apiKey: number, version: number): boolean {
  const r = SUPPORTED_VERSIONS[apiKey];
  return r !== undefined && version >= r[0] && version <= r[1];
}
