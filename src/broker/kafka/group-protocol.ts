import {randomUUID} from 'node:crypto';
import {ErrorCode} from './wire.js';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

export interface JoinRequest {
  groupId: string;
  memberId: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: {name: string; metadata: Buffer}[];
}

export interface JoinResult {
  error: number;
  generation: number;
  protocol: string;
  leader: string;
  memberId: string;
  /** Every member with its metadata for the chosen protocol: only for the leader, which assigns. */
  members: {memberId: string; metadata: Buffer}[];
}

interface Member {
  id: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: {name: string; metadata: Buffer}[];
  assignment: Buffer;
  lastSeen: number;
  join?: (r: JoinResult) => void;
  sync?: (r: {error: number; assignment: Buffer}) => void;
}

interface Group {
  id: string;
  state: GroupState;
  generation: number;
  protocolType: string;
  protocol: string;
  leader: string;
  members: Map<string, Member>;
  timer?: NodeJS.Timeout;
  /** When the current rebalance gives up on members that have not rejoined. */
  deadline: number;
}

export interface GroupProtocolOptions {
  /** How long a rebalance of an empty group waits for more members to join (Kafka's group.initial.rebalance.delay.ms). */
  initialDelayMs?: number;
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
}

const EMPTY = Buffer.alloc(0);

/**
 * Kafka's consumer-group protocol, as the broker side runs it: members join
 * (JoinGroup), the coordinator waits until every known member has rejoined
 * (or the rebalance timeout drops the ones that did not), picks a leader and
 * a protocol all members support, the leader computes the assignment with
 * its client-side assignor and hands it over in SyncGroup, and everyone gets
 * its share. A member that stops heartbeating for its session timeout is
 * removed and the others rebalance. Offsets live in the broker's log store.
 */
export class GroupProtocol {
  private readonly groups = new Map<string, Group>();
  private readonly timer: NodeJS.Timeout;
  private readonly initialDelayMs: number;

  constructor(private readonly opts: GroupProtocolOptions = {}) {
    this.initialDelayMs = opts.initialDelayMs ?? 300;
    this.timer = setInterval(() => this.expire(), 200);
    this.timer.unref();
  }

  join(req: JoinRequest): Promise<JoinResult> {
    const fail = (error: number) => Promise.resolve({error, generation: -1, protocol: '', leader: '', memberId: req.memberId, members: []});
    if (req.sessionTimeoutMs < (this.opts.minSessionTimeoutMs ?? 1000) || req.sessionTimeoutMs > (this.opts.maxSessionTimeoutMs ?? 1_800_000)) return fail(ErrorCode.INVALID_SESSION_TIMEOUT);
    if (req.protocols.length === 0) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    let g = this.groups.get(req.groupId);
    if (!g) this.groups.set(req.groupId, (g = {id: req.groupId, state: 'Empty', generation: 0, protocolType: req.protocolType, protocol: '', leader: '', members: new Map(), deadline: 0}));
    if (g.members.size > 0 && g.protocolType !== req.protocolType) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const others = [...g.members.values()].filter((m) => m.id !== req.memberId);
    if (others.length && !req.protocols.some((p) => others.every((m) => m.protocols.some((q) => q.name === p.name)))) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    let m: Member | undefined;
    if (req.memberId) {
      m = g.members.get(req.memberId);
      if (!m) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    } else {
      m = {id: `${req.clientId || 'member'}-${randomUUID()}`, clientId: req.clientId, clientHost: req.clientHost, sessionTimeoutMs: 0, rebalanceTimeoutMs: 0, protocols: [], assignment: EMPTY, lastSeen: 0};
      g.members.set(m.id, m);
    }
    if (g.members.size === 1) g.protocolType = req.protocolType;
    Object.assign(m, {sessionTimeoutMs: req.sessionTimeoutMs, rebalanceTimeoutMs: req.rebalanceTimeoutMs, protocols: req.protocols, lastSeen: Date.now()});
    m.join?.({error: ErrorCode.UNKNOWN_MEMBER_ID, generation: -1, protocol: '', leader: '', memberId: m.id, members: []});
    const member = m;
    const result = new Promise<JoinResult>((resolve) => (member.join = resolve));
    const wasEmpty = g.state === 'Empty';
    if (g.state !== 'PreparingRebalance') this.prepare(g, wasEmpty ? this.initialDelayMs : 0);
    else if (g.timer === undefined) this.tryComplete(g);
    return result;
  }

  sync(groupId: string, generation: number, memberId: string, assignments: {memberId: string; assignment: Buffer}[]): Promise<{error: number; assignment: Buffer}> {
    const g = this.groups.get(groupId);
    const m = g?.members.get(memberId);
    if (!g || !m) return Promise.resolve({error: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY});
    m.lastSeen = Date.now();
    if (generation !== g.generation) return Promise.resolve({error: ErrorCode.ILLEGAL_GENERATION, assignment: EMPTY});
    if (g.state === 'PreparingRebalance') return Promise.resolve({error: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY});
    if (g.state === 'Stable') return Promise.resolve({error: ErrorCode.NONE, assignment: m.assignment});
    const result = new Promise<{error: number; assignment: Buffer}>((resolve) => (m.sync = resolve));
    if (memberId === g.leader) {
      const given = new Map(assignments.map((a) => [a.memberId, a.assignment]));
      g.state = 'Stable';
      for (const x of g.members.values()) {
        x.assignment = given.get(x.id) ?? EMPTY;
        x.sync?.({error: ErrorCode.NONE, assignment: x.assignment});
        x.sync = undefined;
      }
    }
    return result;
  }

  heartbeat(groupId: string, generation: number, memberId: string): number {
    const g = this.groups.get(groupId);
    const m = g?.members.get(memberId);
    if (!g || !m) return ErrorCode.UNKNOWN_MEMBER_ID;
    m.lastSeen = Date.now();
    if (generation !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
    if (g.state === 'PreparingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  /** Removes members at once (a clean shutdown); per member: NONE or UNKNOWN_MEMBER_ID. */
  leave(groupId: string, memberIds: string[]): number[] {
    const g = this.groups.get(groupId);
    const codes = memberIds.map((id) => {
      const m = g?.members.get(id);
      if (!g || !m) return ErrorCode.UNKNOWN_MEMBER_ID;
      this.remove(g, m);
      return ErrorCode.NONE;
    });
    if (g && codes.includes(ErrorCode.NONE)) this.prepare(g, 0);
    return codes;
  }

  /** Whether a commit may be stored: an error code, NONE when it may. */
  canCommit(groupId: string, generation: number, memberId: string): number {
    const g = this.groups.get(groupId);
    if (generation < 0 && !memberId) return !g || g.members.size === 0 ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
    const m = g?.members.get(memberId);
    if (!g || !m) return ErrorCode.UNKNOWN_MEMBER_ID;
    m.lastSeen = Date.now();
    if (generation !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
    if (g.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  describe(groupId: string): {state: GroupState | 'Dead'; protocolType: string; protocol: string; members: {memberId: string; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer}[]} | undefined {
    const g = this.groups.get(groupId);
    if (!g) return undefined;
    return {
      state: g.state, protocolType: g.protocolType, protocol: g.state === 'Stable' || g.state === 'CompletingRebalance' ? g.protocol : '',
      members: [...g.members.values()].map((m) => ({memberId: m.id, clientId: m.clientId, clientHost: m.clientHost, metadata: m.protocols.find((p) => p.name === g.protocol)?.metadata ?? EMPTY, assignment: m.assignment})),
    };
  }

  list(): {groupId: string; protocolType: string}[] {
    return [...this.groups.values()].map((g) => ({groupId: g.id, protocolType: g.protocolType}));
  }

  stop(): void {
    clearInterval(this.timer);
    for (const g of this.groups.values()) clearTimeout(g.timer);
  }

  private remove(g: Group, m: Member): void {
    g.members.delete(m.id);
    m.join?.({error: ErrorCode.UNKNOWN_MEMBER_ID, generation: -1, protocol: '', leader: '', memberId: m.id, members: []});
    m.sync?.({error: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY});
    m.join = m.sync = undefined;
  }

  /** Starts a rebalance (members learn it from their heartbeat and rejoin); completes once all rejoined, after `delayMs` at least. */
  private prepare(g: Group, delayMs: number): void {
    clearTimeout(g.timer);
    g.timer = undefined;
    for (const m of g.members.values()) {
      m.sync?.({error: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY});
      m.sync = undefined;
    }
    if (g.members.size === 0) {
      g.state = 'Empty';
      g.generation++;
      g.leader = g.protocol = '';
      return;
    }
    g.state = 'PreparingRebalance';
    const rebalanceMs = Math.max(...[...g.members.values()].map((m) => m.rebalanceTimeoutMs || m.sessionTimeoutMs));
    g.deadline = Date.now() + rebalanceMs;
    if (delayMs > 0) {
      g.timer = setTimeout(() => {
        g.timer = undefined;
        this.tryComplete(g);
      }, delayMs);
    } else {
      this.tryComplete(g);
    }
  }

  private tryComplete(g: Group): void {
    if (g.state !== 'PreparingRebalance') return;
    const members = [...g.members.values()];
    if (members.some((m) => !m.join)) {
      if (Date.now() < g.deadline) return;
      for (const m of members) if (!m.join) this.remove(g, m);
      if (g.members.size === 0) return this.prepare(g, 0);
    }
    const joined = [...g.members.values()];
    g.generation++;
    g.leader = g.members.has(g.leader) ? g.leader : joined[0].id;
    const leader = g.members.get(g.leader)!;
    g.protocol = leader.protocols.find((p) => joined.every((m) => m.protocols.some((q) => q.name === p.name)))?.name ?? leader.protocols[0].name;
    g.state = 'CompletingRebalance';
    const now = Date.now();
    const all = joined.map((m) => ({memberId: m.id, metadata: m.protocols.find((p) => p.name === g.protocol)?.metadata ?? EMPTY}));
    for (const m of joined) {
      m.lastSeen = now;
      m.assignment = EMPTY;
      const reply = m.join!;
      m.join = undefined;
      reply({error: ErrorCode.NONE, generation: g.generation, protocol: g.protocol, leader: g.leader, memberId: m.id, members: m.id === g.leader ? all : []});
    }
  }

  private expire(): void {
    const now = Date.now();
    for (const g of this.groups.values()) {
      let changed = false;
      for (const m of [...g.members.values()]) {
        // A member waiting for its JoinGroup or SyncGroup answer cannot heartbeat: it is alive.
        if (!m.join && !m.sync && now - m.lastSeen > m.sessionTimeoutMs) {
          this.remove(g, m);
          changed = true;
        }
      }
      if (changed) this.prepare(g, 0);
      else if (g.state === 'PreparingRebalance' && g.timer === undefined && now >= g.deadline) this.tryComplete(g);
    }
  }
}
