import {DialError, ExitCode} from '../errors/index.js';
import type {HttpClient} from '../registry/http-client.js';
import {openDaemonClient} from '../runtime/daemon-client.js';
import type {Assignment} from './group-coordinator.js';
import {EVENTS_TOPIC, type BrokerMessage, type GroupInfo, type OutgoingMessage, type Positions, type TopicInfo} from './types.js';

const BASE = '/v1/dial/broker';

/** The broker's HTTP API, as a client of the local cluster's daemon. */
export class BrokerClient {
  constructor(private readonly http: HttpClient) {}

  topics(): Promise<TopicInfo[]> {
    return this.get<TopicInfo[]>(`${BASE}/topics`);
  }

  async topic(name: string): Promise<TopicInfo | undefined> {
    const r = await this.http.send<TopicInfo>('GET', `${BASE}/topics/${encodeURIComponent(name)}`, {allow404: true});
    return r.status === 404 ? undefined : r.body;
  }

  groups(): Promise<GroupInfo[]> {
    return this.get<GroupInfo[]>(`${BASE}/groups`);
  }

  async publish(topic: string, messages: OutgoingMessage[], partitions?: number): Promise<{topic: string; results: {partition: number; offset: number}[]}> {
    // The daemon refuses it too (403), which would read like a missing ACL token.
    if (topic === EVENTS_TOPIC) {
      throw new DialError('READ_ONLY_TOPIC', `'${EVENTS_TOPIC}' is the cluster's own event bus: the daemon writes it, it is read-only`, {
        hint: `read it with 'dial events' (or 'dial sub ${EVENTS_TOPIC}'); publish your own events to another topic`,
        exitCode: ExitCode.Failed,
      });
    }
    return (await this.http.send<{topic: string; results: {partition: number; offset: number}[]}>('POST', `${BASE}/topics/${encodeURIComponent(topic)}/messages`, {body: {messages, partitions}})).body;
  }

  async fetch(topic: string, body: {positions: Positions; from: 'beginning' | 'end'; max: number; waitMs: number}, signal?: AbortSignal): Promise<{messages: BrokerMessage[]; positions: Positions}> {
    return (await this.http.send<{messages: BrokerMessage[]; positions: Positions}>('POST', `${BASE}/topics/${encodeURIComponent(topic)}/fetch`, {body, signal, timeoutMs: body.waitMs + 10_000})).body;
  }

  async join(group: string, topic: string, opts: {sessionTimeoutMs: number; fromBeginning: boolean}): Promise<Assignment> {
    return (await this.http.send<Assignment>('POST', `${BASE}/groups/${encodeURIComponent(group)}/join`, {body: {topic, ...opts}})).body;
  }

  /** A member's fetch; undefined when the coordinator no longer knows the member (join again). */
  async groupFetch(group: string, body: {topic: string; member: string; positions: Positions; max: number; waitMs: number}, signal?: AbortSignal): Promise<{assignment: Assignment; messages: BrokerMessage[]} | undefined> {
    return this.memberCall(() => this.http.send<{assignment: Assignment; messages: BrokerMessage[]}>('POST', `${BASE}/groups/${encodeURIComponent(group)}/fetch`, {body, signal, timeoutMs: body.waitMs + 10_000}));
  }

  async commit(group: string, body: {topic: string; member: string; offsets: Positions}): Promise<{committed: Positions; rejected: number[]} | undefined> {
    return this.memberCall(() => this.http.send<{committed: Positions; rejected: number[]}>('POST', `${BASE}/groups/${encodeURIComponent(group)}/commit`, {body}));
  }

  async leave(group: string, topic: string, member: string): Promise<void> {
    await this.http.send('POST', `${BASE}/groups/${encodeURIComponent(group)}/leave`, {body: {topic, member}});
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async get<T>(path: string): Promise<T> {
    return (await this.http.send<T>('GET', path)).body;
  }

  private async memberCall<T>(fn: () => Promise<{body: T}>): Promise<T | undefined> {
    try {
      return (await fn()).body;
    } catch (e) {
      if ((e as DialError).details?.httpStatus === 409) return undefined;
      throw e;
    }
  }
}

/** A client of the broker in the local cluster of `home`; CLUSTER_NOT_RUNNING (exit 3) when there is none. */
export function openBrokerClient(home: string, token?: string): BrokerClient {
  return new BrokerClient(openDaemonClient(home, {token, timeoutMs: 10_000, notRunningHint: "the broker runs in the cluster daemon: run 'dial cluster up' first"}));
}
