import { hashOfKey, KeyIndex } from '../common/key-index.ts';

/** How many keys' aliases are remembered: a key seen again after this many newer ones gets a new alias. */
export const sdkRetryAliasesMax = 10_000;

const sdkKey = /^stripe-node-retry-[0-9a-f-]{36}$/;

// A key is the prefix and a UUID: 36 ASCII characters, kept as bytes.
const sdkPrefix = 'stripe-node-retry-';
const uuidBytes = 36;

/**
 * stripe-node mints `stripe-node-retry-<uuid4>` keys; the journal names them by first use
 * (`stripe-node-retry-#1`, …) so the same SUT run gives the same journal hash. Only the most
 * recent keys are remembered, so a long `serve` driven by stripe-node stays bounded. They are
 * remembered off the JS heap (a ring of UUID bytes, an index of their hashes): a Map of fresh keys
 * that each outlive thousands of requests would be promoted, and die, in the old generation.
 */
export function sdkRetryKeyAliases(aliasesMax = sdkRetryAliasesMax): (key: string) => string {
  // The ring's slot of the next key holds the oldest. It starts small (a scenario run sends a
  // few keys) and doubles up to `aliasesMax` before it first wraps, so each key keeps its slot.
  let uuids = Buffer.alloc(Math.min(aliasesMax, 64) * uuidBytes);
  let hashes = new Uint32Array(Math.min(aliasesMax, 64));
  const slots = new KeyIndex((slot) => hashes[slot]!);
  const uuidAt = (slot: number) => uuids.toString('latin1', slot * uuidBytes, (slot + 1) * uuidBytes);
  let minted = 0;
  // A slot holds the key minted last there: its number follows from how many were minted.
  const numberAt = (slot: number) =>
    minted - ((((minted - 1 - slot) % aliasesMax) + aliasesMax) % aliasesMax);
  return (key) => {
    if (!key.startsWith(sdkPrefix) || !sdkKey.test(key)) return key;
    const uuid = key.slice(sdkPrefix.length);
    const known = slots.get(uuid, (slot) => uuidAt(slot) === uuid);
    if (known !== undefined) return `${sdkPrefix}#${numberAt(known)}`;
    if (minted === hashes.length && minted < aliasesMax) {
      uuids = Buffer.concat([uuids], Math.min(aliasesMax, minted * 2) * uuidBytes);
      const grown = new Uint32Array(Math.min(aliasesMax, minted * 2));
      grown.set(hashes);
      hashes = grown;
    }
    const slot = minted % aliasesMax;
    if (minted >= aliasesMax) slots.removeHashed(hashes[slot]!, (candidate) => candidate === slot);
    uuids.write(uuid, slot * uuidBytes, 'latin1');
    hashes[slot] = hashOfKey(uuid);
    slots.add(slot);
    return `${sdkPrefix}#${++minted}`;
  };
}
