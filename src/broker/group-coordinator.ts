import {randomBytes} from 'node:crypto';
import type {GroupInfo} from './types.js';

interface Member {
  id: string;
  /** Join order (partitions are dealt in this order). */
  seq: number;
  lastSeen: number;
  /** Fetches in progress: a member waiting in a long poll is alive. */
  active: number;
  sessionTimeoutMs: number;
  fromBeginning: boolean;
  partitions: number[];
}

interface GroupState {
  group: string;
  topic: string;
  generation: number;
  members: Map<string, Member>;
  /** Where a partition without a committed offset starts, fixed when it is first assigned. */
  resetOffsets: Map<number, number>;
}

export interface CoordinatorDeps {
  partitionCount(topic: string): number;
  committed(group: string, topic: string): Record<number, number>;
  end(topic: string, partition: number): number;
  /** Called after a rebalance (to wake members waiting in a fetch). */
  onRebalance?(group: string, topic: string, generation: number): void;
}

/** What a member is told on join and on every fetch. */
export interface Assignment {
  member: string;
  generation: number;
  /** Assigned partitions, each with where to start when the member did not hold it before. */
  partitions: {partition: number; start: number}[];
}

/**
 * Consumer groups, coordinated by the daemon (Kafka's group coordinator,
 * simplified): members join a (group, topic), the topic's partitions are
 * spread round-robin over the members in join order, every join, leave or
 * session expiry starts a new generation. Positions are the consumers' own;
 * the coordinator only hands out assignments and where to start (the
 * committed offset), and accepts commits for partitions a member owns.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, GroupState>();
  private timer?: NodeJS.Timeout;
  private joins = 0;

  constructor(private readonly deps: CoordinatorDeps) {}

  start(): void {
    this.timer = setInterval(() => this.expire(), 250);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  join(group: string, topic: string, opts: {sessionTimeoutMs: number; fromBeginning: boolean}): Assignment {
    const g = this.state(group, topic);
    const now = Date.now();
    const id = `${group}-${randomBytes(4).toString('hex')}`;
    g.members.set(id, {id, seq: ++this.joins, lastSeen: now, active: 0, sessionTimeoutMs: opts.sessionTimeoutMs, fromBeginning: opts.fromBeginning, partitions: []});
    this.rebalance(g);
    return this.assignment(g, id)!;
  }

  /** Removes a member at once (a clean shutdown); false when it was not a member. */
  leave(group: string, topic: string, member: string): boolean {
    const g = this.groups.get(key(group, topic));
    if (!g?.members.delete(member)) return false;
    this.rebalance(g);
    return true;
  }

  /** The member's current assignment (a heartbeat); undefined when it is not (or no longer) a member. */
  heartbeat(group: string, topic: string, member: string): Assignment | undefined {
    const g = this.groups.get(key(group, topic));
    const m = g?.members.get(member);
    if (!g || !m) return undefined;
    m.lastSeen = Date.now();
    return this.assignment(g, member);
  }

  /** Marks a long poll as started/ended (keeps the member alive while it waits). */
  activity(group: string, topic: string, member: string, delta: 1 | -1): void {
    const m = this.groups.get(key(group, topic))?.members.get(member);
    if (!m) return;
    m.active += delta;
    m.lastSeen = Date.now();
  }

  /** Partitions of `offsets` that `member` owns now (commits for others are refused). */
  owned(group: string, topic: string, member: string): Set<number> | undefined {
    const m = this.groups.get(key(group, topic))?.members.get(member);
    return m ? new Set(m.partitions) : undefined;
  }

  generation(group: string, topic: string): number {
    return this.groups.get(key(group, topic))?.generation ?? 0;
  }

  describe(group: string, topic: string): Omit<GroupInfo, 'committed' | 'lag'> {
    const g = this.groups.get(key(group, topic));
    const now = Date.now();
    return {
      group, topic, generation: g?.generation ?? 0,
      members: [...(g?.members.values() ?? [])].map((m) => ({id: m.id, partitions: m.partitions, idleMs: m.active > 0 ? 0 : now - m.lastSeen})),
    };
  }

  activeGroups(): {group: string; topic: string}[] {
    return [...this.groups.values()].filter((g) => g.members.size > 0).map((g) => ({group: g.group, topic: g.topic}));
  }

  private state(group: string, topic: string): GroupState {
    let g = this.groups.get(key(group, topic));
    if (!g) this.groups.set(key(group, topic), (g = {group, topic, generation: 0, members: new Map(), resetOffsets: new Map()}));
    return g;
  }

  private expire(): void {
    const now = Date.now();
    for (const g of this.groups.values()) {
      let changed = false;
      for (const m of g.members.values()) {
        if (m.active === 0 && now - m.lastSeen > m.sessionTimeoutMs) {
          g.members.delete(m.id);
          changed = true;
        }
      }
      if (changed) this.rebalance(g);
    }
  }

  private rebalance(g: GroupState): void {
    g.generation++;
    const members = [...g.members.values()].sort((a, b) => a.seq - b.seq);
    for (const m of members) m.partitions = [];
    const n = this.deps.partitionCount(g.topic);
    if (members.length > 0) for (let p = 0; p < n; p++) members[p % members.length].partitions.push(p);
    const committed = this.deps.committed(g.group, g.topic);
    for (const m of members) {
      for (const p of m.partitions) {
        if (committed[p] === undefined && !g.resetOffsets.has(p)) g.resetOffsets.set(p, m.fromBeginning ? 0 : this.deps.end(g.topic, p));
      }
    }
    this.deps.onRebalance?.(g.group, g.topic, g.generation);
  }

  private assignment(g: GroupState, member: string): Assignment | undefined {
    const m = g.members.get(member);
    if (!m) return undefined;
    const committed = this.deps.committed(g.group, g.topic);
    return {
      member, generation: g.generation,
      partitions: m.partitions.map((p) => ({partition: p, start: committed[p] ?? g.resetOffsets.get(p) ?? 0})),
    };
  }
}

const key = (group: string, topic: string) => `${group}\u0000${topic}`;
