/** How many keys' aliases are remembered: a key seen again after this many newer ones gets a new alias. */
export const sdkRetryAliasesMax = 10_000;

/**
 * stripe-node mints `stripe-node-retry-<uuid4>` keys; the journal names them by first use
 * (`stripe-node-retry-#1`, …) so the same SUT run gives the same journal hash. Only the most
 * recent keys are remembered, so a long `serve` driven by stripe-node stays bounded.
 */
export function sdkRetryKeyAliases(aliasesMax = sdkRetryAliasesMax): (key: string) => string {
  const aliases = new Map<string, string>();
  let minted = 0;
  return (key) => {
    if (!/^stripe-node-retry-[0-9a-f-]{36}$/.test(key)) return key;
    let alias = aliases.get(key);
    if (alias === undefined) {
      aliases.set(key, (alias = `stripe-node-retry-#${++minted}`));
      // Maps keep insertion order: the first key is the oldest.
      if (aliases.size > aliasesMax) aliases.delete(aliases.keys().next().value!);
    }
    return alias;
  };
}
