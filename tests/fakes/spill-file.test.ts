import { closeSync, mkdtempSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { hashOfKey, KeyIndex } from '../../src/fakes/common/key-index.ts';
import { NumberColumn } from '../../src/fakes/common/number-column.ts';
import { directBlockBytes, openDirect } from '../../src/fakes/common/direct-write.ts';
import { SpillFile, type PositionalWrite } from '../../src/fakes/common/spill-file.ts';
import type { LaterWrite } from '../../src/fakes/common/spill-landing.ts';

const megabyte = 1024 * 1024;

describe('SpillFile', () => {
  it('reads back every record as written, before and after it reaches the file, in any script', () => {
    const file = new SpillFile();
    const records = Array.from({ length: 5000 }, (_, n) => ({
      key: n % 7 === 0 ? `prod_Zoë_${n}` : `cus_${n}`,
      text: `{"n":${n},"name":"Zoë 東京 🚀 ${'x'.repeat(n % 900)}"}`,
    }));
    records.push({ key: 'big', text: 'z'.repeat(3 * megabyte) }, { key: '', text: '' });
    const offsets = records.map(({ key, text }) => file.append(key, text));
    expect(file.size).toBeGreaterThan(5 * megabyte);
    expect(offsets.map((offset) => file.read(offset))).toEqual(records);
    expect(offsets.map((offset) => file.keyAt(offset))).toEqual(records.map(({ key }) => key));
    file.close();
  });

  it('keeps raw bytes between records, each read back where it was kept', () => {
    const file = new SpillFile();
    const record = file.append('cus_1', '{"id":"cus_1"}');
    const chunk = Buffer.from('Zoë 東京\n'.repeat(50_000));
    const kept = file.keepBytes(chunk);
    const after = file.append('cus_2', '{"id":"cus_2"}');
    expect(file.bytesAt(kept, chunk.length).equals(chunk)).toBe(true);
    expect([file.read(record), file.read(after)]).toEqual([
      { key: 'cus_1', text: '{"id":"cus_1"}' },
      { key: 'cus_2', text: '{"id":"cus_2"}' },
    ]);
    expect(() => file.bytesAt(file.size + 100, 10)).toThrow(RangeError);
    file.close();
  });

  // Alignment 4096 pads every write to whole blocks, as O_DIRECT writes are.
  it.each([1, directBlockBytes])(
    'loses nothing while the disk is full, and writes it all once it is not (alignment %i)',
    (alignment) => {
      const disk = { room: Number.POSITIVE_INFINITY, written: 0 };
      // A disk filling up takes what room it has left of a write, then refuses the rest.
      const write: PositionalWrite = (fd, buffer, offset, length, position) => {
        if (disk.room === 0)
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        const taken = writeSync(fd, buffer, offset, Math.min(length, disk.room), position);
        disk.room -= taken;
        disk.written += taken;
        return taken;
      };
      const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      const file = new SpillFile(undefined, { write, alignment });
      const text = (n: number) => `{"n":${n},"pad":"${'p'.repeat(700)}"}`;
      const before = Array.from({ length: 2000 }, (_, n) => file.append(`cus_${n}`, text(n)));
      disk.room = 100;
      const during = Array.from({ length: 4000 }, (_, n) => file.append(`cus_${2000 + n}`, text(2000 + n)));
      const chunk = Buffer.from('line\n'.repeat(300_000));
      const kept = file.keepBytes(chunk);
      const offsets = [...before, ...during];
      const texts = () => offsets.map((offset) => file.read(offset).text);
      expect(texts()).toEqual(offsets.map((_, n) => text(n)));
      expect(file.bytesAt(kept, chunk.length).equals(chunk)).toBe(true);
      expect(warning).toHaveBeenCalledTimes(1);
      expect(String(warning.mock.calls[0]![0])).toContain('ENOSPC');
      disk.room = Number.POSITIVE_INFINITY;
      const written = disk.written;
      offsets.push(...Array.from({ length: 2000 }, (_, n) => file.append(`cus_${6000 + n}`, text(6000 + n))));
      // Everything held in memory reached the file with the next write.
      expect(disk.written - written).toBeGreaterThan(4000 * 700 + chunk.length);
      expect(texts()).toEqual(offsets.map((_, n) => text(n)));
      expect(file.bytesAt(kept, chunk.length).equals(chunk)).toBe(true);
      warning.mockRestore();
      file.close();
    },
  );

  it('writes past the page cache where the OS allows it, and plainly where it refuses', () => {
    const folder = mkdtempSync(join(tmpdir(), 'spill-test-'));
    writeFileSync(join(folder, 'probe'), '');
    const probe = openDirect(join(folder, 'probe'));
    const probed = new SpillFile(folder);
    expect(probed.bypassesPageCache).toBe(probe !== undefined);
    probed.close();
    if (probe !== undefined) closeSync(probe);
    // A file system that refuses the alignment after all: the file carries on with plain writes.
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const refusing = vi.fn<PositionalWrite>(() => {
      throw Object.assign(new Error('EINVAL: invalid argument'), { code: 'EINVAL' });
    });
    const file = new SpillFile(folder, { write: refusing, alignment: directBlockBytes });
    const offsets = Array.from({ length: 3000 }, (_, n) =>
      file.append(`cus_${n}`, `{"n":${n}}${'x'.repeat(900)}`),
    );
    expect(file.size).toBeGreaterThan(2 * megabyte);
    expect(offsets.map((offset) => file.read(offset).text)).toEqual(
      offsets.map((_, n) => `{"n":${n}}${'x'.repeat(900)}`),
    );
    expect(refusing).toHaveBeenCalledTimes(1);
    expect(warning).not.toHaveBeenCalled();
    warning.mockRestore();
    file.close();
    rmSync(folder, { recursive: true });
  });

  it('leaves nothing in its folder, even while open', () => {
    const folder = mkdtempSync(join(tmpdir(), 'spill-test-'));
    const file = new SpillFile(folder);
    file.append('cus_1', '{}');
    expect(readdirSync(folder)).toEqual([]);
    file.close();
  });
});

describe('KeyIndex', () => {
  it('finds every key added, and the rest after removals, as a Map would', () => {
    const keys = Array.from({ length: 20_000 }, (_, n) => `cus_${(n * 7919).toString(36)}`);
    const index = new KeyIndex((place) => hashOfKey(keys[place]!), 8);
    const isKeyOf = (key: string) => (place: number) => keys[place] === key;
    keys.forEach((_, place) => index.add(place));
    for (let place = 0; place < keys.length; place += 3)
      expect(index.remove(keys[place]!, isKeyOf(keys[place]!))).toBe(true);
    expect(index.size).toBe(keys.length - Math.ceil(keys.length / 3));
    keys.forEach((key, place) =>
      expect(index.get(key, isKeyOf(key))).toBe(place % 3 === 0 ? undefined : place),
    );
    expect(index.get('cus_never', isKeyOf('cus_never'))).toBeUndefined();
    expect(index.remove('cus_never', isKeyOf('cus_never'))).toBe(false);
  });

  it('tells apart values whose keys hash alike by asking the owner', () => {
    // Every value's key hashes as 'cus_a' does: only `isKey` can tell them apart.
    const index = new KeyIndex(() => hashOfKey('cus_a'));
    index.add(1);
    index.add(2);
    expect(index.get('cus_a', (place) => place === 2)).toBe(2);
    expect(index.remove('cus_a', (place) => place === 1)).toBe(true);
    expect(index.get('cus_a', (place) => place === 1)).toBeUndefined();
    expect(index.get('cus_a', (place) => place === 2)).toBe(2);
  });

  it('hashes strings to 32-bit numbers that differ for near keys', () => {
    const hashes = new Set(Array.from({ length: 10_000 }, (_, n) => hashOfKey(`evt_${n}`)));
    expect(hashes.size).toBeGreaterThan(9_990);
    for (const hash of hashes) expect(hash >>> 0).toBe(hash);
  });
});

describe('NumberColumn', () => {
  it('keeps numbers past its chunk length, and writes over one in place', () => {
    const column = new NumberColumn();
    const indexes = Array.from({ length: 200_000 }, (_, n) => column.push(n * 1.5));
    expect(indexes.every((index, n) => index === n)).toBe(true);
    column.set(150_000, -1);
    expect(column.length).toBe(200_000);
    expect([column.at(0), column.at(65_536), column.at(150_000), column.at(199_999)]).toEqual([
      0, 98_304, -1, 299_998.5,
    ]);
  });

  it('reads back what a list would, as climbing offsets and as numbers that do not fit four bytes', () => {
    const column = new NumberColumn();
    const expected: number[] = [];
    const write = (index: number, value: number) => {
      column.set(index, value);
      expected[index] = value;
    };
    // Offsets of records appended to a file, from 7 GB on: four bytes each above a chunk's first.
    for (let n = 0; n < 140_000; n++) {
      expected.push(7e9 + n * 613);
      column.push(7e9 + n * 613);
    }
    // Later versions are written further on; a removed one is -1; one chunk's numbers reach 2³² apart.
    for (let n = 0; n < 140_000; n += 997) write(n, 7e9 + 90_000_000 + n);
    write(70_000, -1);
    write(130_000, 7e9 + 2 ** 33);
    write(3, 0.5);
    expect(column.length).toBe(expected.length);
    expect(Array.from({ length: column.length }, (_, index) => column.at(index))).toEqual(expected);
  });
});

/** A record's bytes in the file: its key's and text's lengths, then the two. */
function pair(key: string, text: string): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(Buffer.byteLength(key), 0);
  header.writeUInt32LE(Buffer.byteLength(text), 4);
  return Buffer.concat([header, Buffer.from(key), Buffer.from(text)]);
}

describe('SpillFile, writing in the background', () => {
  it('reads back every record and kept chunk while its writes are under way, however they end', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 300_000 }).map((append) => ({ append })),
            fc.integer({ min: 1, max: 70_000 }).map((keep) => ({ keep })),
            fc.constantFrom('whole', 'part', 'full').map((end) => ({ end })),
          ),
          { minLength: 5, maxLength: 40 },
        ),
        (steps) => {
          const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
          const waiting: Array<Record<'whole' | 'part' | 'full', () => void>> = [];
          // Background writes wait for the test; each copies its bytes first, as the contract says.
          // What reached the disk, by offset (the file's own bytes are read back by the spill file).
          const disk = Buffer.alloc(32 * megabyte);
          const reached = Buffer.alloc(32 * megabyte);
          const onDisk = (copy: Buffer, length: number, position: number) => {
            copy.copy(disk, position, 0, length);
            reached.fill(1, position, position + length);
            return length;
          };
          const later: LaterWrite = (fd, buffer, offset, length, position, done) => {
            const copy = Buffer.from(buffer.subarray(offset, offset + length));
            const write = (bytes: number) => onDisk(copy, writeSync(fd, copy, 0, bytes, position), position);
            waiting.push({
              whole: () => done(null, write(length)),
              part: () => done(null, write(Math.ceil(length / 2))),
              full: () => done(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }), 0),
            });
          };
          const writeNow: PositionalWrite = (fd, buffer, offset, length, position) =>
            onDisk(buffer.subarray(offset), writeSync(fd, buffer, offset, length, position), position);
          const file = new SpillFile(undefined, { write: writeNow, later, alignment: 1 });
          const records: Array<{ at: number; key: string; text: string }> = [];
          const chunks: Array<{ at: number; bytes: Buffer }> = [];
          for (const step of steps) {
            if ('append' in step) {
              const key = `cus_${records.length}`;
              const text = `{"n":${records.length},"pad":"${'é'.repeat(step.append % 1000)}${'p'.repeat(step.append)}"}`;
              records.push({ at: file.append(key, text), key, text });
            } else if ('keep' in step) {
              const bytes = Buffer.alloc(step.keep, chunks.length % 251);
              chunks.push({ at: file.keepBytes(bytes), bytes });
            } else {
              waiting.shift()?.[step.end]();
            }
            for (const { at, key, text } of records) expect(file.read(at)).toEqual({ key, text });
            for (const { at, bytes } of chunks)
              expect(file.bytesAt(at, bytes.length).equals(bytes)).toBe(true);
          }
          // Once the disk takes everything (a failed write is tried again at the next buffer),
          // every byte is in the file.
          file.keepBytes(Buffer.from('last'));
          while (waiting.length > 0) waiting.shift()!.whole();
          for (const { at, bytes } of [
            ...chunks,
            ...records.map(({ at, key, text }) => ({ at, bytes: pair(key, text) })),
          ])
            expect([
              disk.subarray(at, at + bytes.length).equals(bytes),
              reached.subarray(at, at + bytes.length).every((byte) => byte === 1),
            ]).toEqual([true, true]);
          warning.mockRestore();
          file.close();
        },
      ),
      { numRuns: 40, seed: 5 },
    );
  });
});
