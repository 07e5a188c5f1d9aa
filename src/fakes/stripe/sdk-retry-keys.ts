/** How many keys' aliases are remembered: a key seen again after this many newer ones gets a new alias. */
export const sdkRetryAliasesMax = 10_000;

const sdkKey = /^stripe-node-retry-[0-9a-f-]{36}$/;

/**
 * stripe-node mints `stripe-node-retry-<uuid4>` keys; the journal names them by first use
 * (`stripe-node-retry-#1`, …) so the same SUT run gives the same journal hash. Only the most
 * recent keys are remembered, so a long `serve` driven by stripe-node stays bounded.
 */
export function sdkRetryKeyAliases(aliasesMax = sdkRetryAliasesMax): (key: string) => string {
  const aliases = new Map<string, string>();
  // The keys in the order they were first seen, as a ring: the slot of the next key holds the
  // oldest. (Finding a Map's first key walks the holes its earlier deletions left.)
  const ring: Array<string | undefined> = new Array<string | undefined>(aliasesMax).fill(undefined);
  let minted = 0;
  return (key) => {
    if (!key.startsWith('stripe-node-retry-') || !sdkKey.test(key)) return key;
    let alias = aliases.get(key);
    if (alias === undefined) {
      const slot = minted % aliasesMax;
      const oldest = ring[slot];
      if (oldest !== undefined) aliases.delete(oldest);
      ring[slot] = key;
      aliases.set(key, (alias = `stripe-node-retry-#${++minted}`));
    }
    return alias;
  };
}
