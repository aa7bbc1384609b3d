import { createHash } from 'crypto';
import { UsageError } from './usage';

/** `--shard 2/4`: the second of four parts (1-based, as in jest and playwright). */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!(count >= 1 && index >= 1 && index <= count))
    throw new UsageError(`--shard must be i/n with 1 <= i <= n, e.g. 1/4 (got "${value}")`);
  return { index, count };
}

/**
 * Whether a file belongs to a shard. The split hashes the path relative to the repository root, not the
 * file's position in a list, so every job of a CI matrix agrees, and adding one migration moves no other.
 */
export function inShard(repositoryPath: string, shard: Shard): boolean {
  const hash = createHash('sha256').update(repositoryPath).digest().readUInt32BE(0);
  return hash % shard.count === shard.index - 1;
}
