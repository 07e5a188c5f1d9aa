import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

// Stripe's published object fixtures, read in place when the shared specs are beside the repo.
const fixturesPath = join(import.meta.dirname, '../../../shared/specs/stripe/fixtures3.json');
let fixtures: Record<string, Record<string, unknown>> | null | undefined;

function loadFixtures(): Record<string, Record<string, unknown>> | null {
  if (fixtures === undefined) {
    fixtures = existsSync(fixturesPath)
      ? (
          JSON.parse(readFileSync(fixturesPath, 'utf8')) as {
            resources: Record<string, Record<string, unknown>>;
          }
        ).resources
      : null;
  }
  return fixtures;
}

/**
 * Checks an object's top-level keys against Stripe's fixture of its type: every key the
 * fixture has must be present, and no key may be one the fixture lacks (beyond `allowExtra`).
 * Without the fixtures file, it still checks the object is of the named type.
 */
export function expectStripeShape(
  type: string,
  object: unknown,
  allowExtra: readonly string[] = [],
  // Keys the fixture still has that newer API versions removed.
  allowMissing: readonly string[] = [],
): void {
  expect((object as { object?: string }).object).toBe(type.startsWith('deleted_') ? type.slice(8) : type);
  const resources = loadFixtures();
  if (resources === null) return;
  const fixture = resources[type];
  expect(fixture, `fixtures3.json has no '${type}'`).toBeDefined();
  const ours = Object.keys(object as object).sort();
  const theirs = Object.keys(fixture!).sort();
  expect(
    theirs.filter((key) => !ours.includes(key) && !allowMissing.includes(key)),
    `${type}: keys Stripe has that we lack`,
  ).toEqual([]);
  expect(
    ours.filter((key) => !theirs.includes(key) && !allowExtra.includes(key)),
    `${type}: keys we render that Stripe's fixture lacks`,
  ).toEqual([]);
}
