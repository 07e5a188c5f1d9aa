/**
 * stripe-node mints `stripe-node-retry-<uuid4>` keys; the journal names them by first use
 * (`stripe-node-retry-#1`, …) so the same SUT run gives the same journal hash.
 */
export function sdkRetryKeyAliases(): (key: string) => string {
  const aliases = new Map<string, string>();
  return (key) => {
    if (!/^stripe-node-retry-[0-9a-f-]{36}$/.test(key)) return key;
    let alias = aliases.get(key);
    if (alias === undefined) aliases.set(key, (alias = `stripe-node-retry-#${aliases.size + 1}`));
    return alias;
  };
}
