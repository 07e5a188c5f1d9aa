import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkQueue, type ChunkKeeper } from '../../src/fakes/common/chunk-queue.ts';

/** A keeper holding kept bytes in a list (as a spill file would), counting what it keeps. */
function listKeeper(): ChunkKeeper<{ n: number; text: string }> & { kept: () => number } {
  const kept: Buffer[] = [];
  return {
    keep: (bytes) => kept.push(Buffer.from(bytes)) - 1,
    read: (at, length) => kept[at]!.subarray(0, length),
    encode: (item) => JSON.stringify(item),
    decode: (line) => JSON.parse(line) as { n: number; text: string },
    kept: () => kept.length,
  };
}

// Pushes (with texts that JSON must escape, newlines among them) and shifts, in any order; more
// pushes than shifts, so that chunks fill.
const operations = fc.array(
  fc.oneof(
    {
      arbitrary: fc.record({ push: fc.string({ unit: fc.constantFrom('a', 'é', '\n', '"', ' ', '#') }) }),
      weight: 3,
    },
    { arbitrary: fc.constant({ shift: true as const }), weight: 2 },
    { arbitrary: fc.constant({ peek: true as const }), weight: 1 },
  ),
  { minLength: 20, maxLength: 120 },
);

describe('ChunkQueue', () => {
  it('reads back what was pushed, first in first out, with its full chunks kept off the heap or not', () => {
    let keptRuns = 0;
    fc.assert(
      fc.property(operations, fc.integer({ min: 1, max: 5 }), fc.boolean(), (ops, chunkLength, keep) => {
        const keeper = keep ? listKeeper() : undefined;
        const queue = new ChunkQueue<{ n: number; text: string }>({ chunkLength, keeper });
        const model: Array<{ n: number; text: string }> = [];
        let pushed = 0;
        for (const op of ops) {
          if ('push' in op) {
            const item = { n: pushed++, text: op.push };
            queue.push(item);
            model.push(item);
          } else if ('peek' in op) expect(queue.peek()).toEqual(model[0]);
          else expect(queue.shift()).toEqual(model.shift());
          expect(queue.length).toBe(model.length);
        }
        if ((keeper?.kept() ?? 0) > 0) keptRuns++;
        for (let item = queue.shift(); item !== undefined; item = queue.shift())
          expect(item).toEqual(model.shift());
        expect(model).toEqual([]);
      }),
      { numRuns: 400, seed: 7 },
    );
    // The keeper is really used, not just allowed.
    expect(keptRuns).toBeGreaterThan(100);
  });

  it('keeps every chunk between the one read and the one written, and none without a keeper', () => {
    const keeper = listKeeper();
    const kept = new ChunkQueue({ chunkLength: 10, keeper });
    const held = new ChunkQueue<{ n: number; text: string }>({ chunkLength: 10 });
    for (let n = 0; n < 1_000; n++) {
      kept.push({ n, text: `item ${n}` });
      held.push({ n, text: `item ${n}` });
    }
    expect(kept.keptChunks).toBe(100);
    expect(held.keptChunks).toBe(0);
    expect(kept.shift()).toEqual({ n: 0, text: 'item 0' });
    // The first chunk is being read, 98 wait kept, the last (full) one too.
    expect(kept.keptChunks).toBe(99);
    for (let n = 1; n < 1_000; n++) expect(kept.shift()?.n).toBe(n);
    expect(kept.shift()).toBeUndefined();
    expect(kept.length).toBe(0);
  });
});
