import { describe, expect, it } from 'vitest';
import { TurnBatch } from '../../src/transports/turn-batch.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TurnBatch', () => {
  it('runs the jobs of one turn together after it, in the order they were queued', async () => {
    const batch = new TurnBatch();
    const ran: string[] = [];
    for (const name of ['a', 'b', 'c'])
      batch.add(
        () => ran.push(name),
        () => ran.push(`${name} failed`),
      );
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('runs a throwing job’s fallback in its place, and the jobs after it still run', async () => {
    const batch = new TurnBatch();
    const ran: string[] = [];
    batch.add(
      () => ran.push('a'),
      () => ran.push('a failed'),
    );
    batch.add(
      () => {
        throw new Error('boom');
      },
      () => ran.push('b failed'),
    );
    batch.add(
      () => ran.push('c'),
      () => ran.push('c failed'),
    );
    await nextTurn();
    expect(ran).toEqual(['a', 'b failed', 'c']);
  });

  it('leaves a job queued while the batch runs to the next turn, and runs it then', async () => {
    const batch = new TurnBatch();
    const ran: string[] = [];
    batch.add(
      () => {
        ran.push('first');
        batch.add(
          () => ran.push('queued while running'),
          () => ran.push('failed'),
        );
      },
      () => ran.push('first failed'),
    );
    await nextTurn();
    expect(ran).toEqual(['first']);
    await nextTurn();
    expect(ran).toEqual(['first', 'queued while running']);
  });

  it('runs at most its maximum a turn, and the rest, with what they queue, in the turns after', async () => {
    const batch = new TurnBatch(2);
    const ran: string[] = [];
    const job = (name: string, then?: () => void) =>
      batch.add(
        () => {
          ran.push(name);
          then?.();
        },
        () => ran.push(`${name} failed`),
      );
    for (const name of ['a', 'b', 'c', 'd']) job(name, name === 'a' ? () => job('queued by a') : undefined);
    job('e');
    await nextTurn();
    expect(ran).toEqual(['a', 'b']);
    await nextTurn();
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
    await nextTurn();
    expect(ran).toEqual(['a', 'b', 'c', 'd', 'e', 'queued by a']);
  });
});
