/**
 * Two texts as one run of bytes: each one's length in UTF-8 bytes (u32), then the first, then the
 * second. How a spill file keeps an object's JSON under its id, and saved answers their head and
 * body; read back from the offset it was written at.
 */
export const pairHeaderBytes = 8;

/** The most bytes a pair can take (three a UTF-16 unit), without measuring it. */
export function pairBytesMost(first: string, second: string): number {
  return pairHeaderBytes + 3 * (first.length + second.length);
}

/** The bytes a pair takes. */
export function pairBytes(first: string, second: string): number {
  return pairHeaderBytes + Buffer.byteLength(first) + Buffer.byteLength(second);
}

/** Writes a pair at `at` (the room is the caller's) and returns how many bytes it took. */
export function writePair(bytes: Buffer, at: number, first: string, second: string): number {
  const firstLength = bytes.write(first, at + pairHeaderBytes);
  const secondLength = bytes.write(second, at + pairHeaderBytes + firstLength);
  bytes.writeUInt32LE(firstLength, at);
  bytes.writeUInt32LE(secondLength, at + 4);
  return pairHeaderBytes + firstLength + secondLength;
}

/** How many bytes the pair at `at` takes, read from its header alone. */
export function pairLengthAt(bytes: Buffer, at: number): number {
  return pairHeaderBytes + bytes.readUInt32LE(at) + bytes.readUInt32LE(at + 4);
}

/** How many bytes the pair at `at` takes up to the end of its first text. */
export function firstEndAt(bytes: Buffer, at: number): number {
  return pairHeaderBytes + bytes.readUInt32LE(at);
}

/** The first text of the pair at `at` (its bytes must be there; the second's need not). */
export function firstAt(bytes: Buffer, at: number): string {
  return bytes.toString('utf8', at + pairHeaderBytes, at + firstEndAt(bytes, at));
}

/** The second text of the pair at `at`. */
export function secondAt(bytes: Buffer, at: number): string {
  const start = at + firstEndAt(bytes, at);
  return bytes.toString('utf8', start, start + bytes.readUInt32LE(at + 4));
}
