import { describe, expect, it } from 'vitest';
import { TurnBatch } from '../../src/transports/turn-batch.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A batch whose jobs write down their name once they ran, or `<name> failed` when their fallback ran. */
function recorded(jobsMax?: number) {
  const batch = new TurnBatch(jobsMax);
  const ran: string[] = [];
  const job = (name: string, first: () => void = () => undefined) =>
    batch.add(
      () => {
        first();
        ran.push(name);
      },
      () => ran.push(`${name} failed`),
    );
  return { ran, job };
}

describe('TurnBatch', () => {
  it('runs the jobs of one turn together after it, in the order they were queued', async () => {
    const { ran, job } = recorded();
    for (const name of ['a', 'b', 'c']) job(name);
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('runs a throwing job’s fallback in its place, and the jobs after it still run', async () => {
    const { ran, job } = recorded();
    job('a');
    job('b', () => {
      throw new Error('boom');
    });
    job('c');
    await nextTurn();
    expect(ran).toEqual(['a', 'b failed', 'c']);
  });

  it('leaves a job queued while the batch runs to the next turn, and runs it then', async () => {
    const { ran, job } = recorded();
    job('first', () => job('queued while running'));
    await nextTurn();
    expect(ran).toEqual(['first']);
    await nextTurn();
    expect(ran).toEqual(['first', 'queued while running']);
  });

  it('runs at most its maximum a turn, and the rest, with what they queue, in the turns after', async () => {
    const { ran, job } = recorded(2);
    job('a', () => job('queued by a'));
    for (const name of ['b', 'c', 'd', 'e']) job(name);
    await nextTurn();
    expect(ran).toEqual(['a', 'b']);
    await nextTurn();
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
    await nextTurn();
    expect(ran).toEqual(['a', 'b', 'c', 'd', 'e', 'queued by a']);
  });
});
