import {createHash} from 'node:crypto';

/**
 * Picks a message's partition: by a hash of its key (the same key always
 * lands in the same partition, so its messages stay in order), round-robin
 * when it has none.
 */
export class Partitioner {
  private readonly next = new Map<string, number>();

  pick(topic: string, key: string | null | undefined, partitions: number): number {
    if (key !== null && key !== undefined) return keyPartition(key, partitions);
    const n = this.next.get(topic) ?? 0;
    this.next.set(topic, (n + 1) % partitions);
    return n % partitions;
  }
}

export function keyPartition(key: string, partitions: number): number {
  return createHash('sha1').update(key).digest().readUInt32BE(0) % partitions;
}
