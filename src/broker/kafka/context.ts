import type {Broker} from '../broker.js';
import type {GroupProtocol} from './group-protocol.js';
import type {Encoder, Reader, RequestHeader} from './wire.js';

/** What a request handler gets: the broker, the group protocol, the listener's own address. */
export interface KafkaContext {
  broker: Broker;
  groups: GroupProtocol;
  host: string;
  port: number;
  nodeId: number;
  clusterId: string;
  /** Default partitions of a topic created by Metadata / Produce (auto-create). */
  defaultPartitions: number;
  /** The connection's client, for DescribeGroups. */
  clientHost: string;
  /** Runs `fn` after the connection's earlier serial steps (produce appends keep request order). */
  serial<T>(fn: () => Promise<T>): Promise<T>;
}

/** A request handler: decodes the body of version `v`, returns the response body (null: no response, acks=0). */
export type Handler = (r: Reader, v: number, ctx: KafkaContext, header: RequestHeader) => Promise<Encoder | null>;
