import qs from 'qs';
import type { SeededRandom } from '../../sim/random.ts';
import type { StripeCore } from './profile.ts';

/** One step of a Stripe CLI fixture file (`stripe fixtures <file>`, `stripe trigger`). */
export interface StripeFixtureStep {
  readonly name: string;
  readonly path: string;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly expected_error_type?: string;
  readonly headers?: Record<string, string>;
  /** Another host for this step (`https://meter-events.stripe.com`): the fake answers them all. */
  readonly api_base?: string;
}

/** A Stripe CLI fixture file: `{ "_meta": {…}, "fixtures": [ … ] }`. */
export interface StripeFixtureFile {
  readonly _meta?: Record<string, unknown>;
  readonly fixtures: readonly StripeFixtureStep[];
}

/** What each named step answered, for `${name:field}` references and for the caller. */
export type FixtureResponses = Record<string, unknown>;

/** Most steps one fixture file may hold. */
export const fixtureStepsMax = 200;

/**
 * Runs a Stripe CLI fixture file against the fake, as `stripe fixtures` would against Stripe:
 * each step's params may reference earlier answers (`${customer:id}`,
 * `${invoice:lines.data.0.id}`), `${generate-uuid}` (drawn from the run's seed) and
 * `${time-now-RFC3339}` / `${time-now}` (virtual time), in its path, params and headers. As
 * the CLI does, a step that declares `expected_error_type` may fail with that error (or
 * succeed); any other failure stops the run. `/v2/` steps are sent as JSON, the rest as forms.
 *
 * @example
 * const answers = runStripeFixtures(stripe.core, file, { apiKey: 'sk_test_x', random: sim.stream('fixtures') });
 * answers.customer; // the created customer
 */
export function runStripeFixtures(
  core: StripeCore,
  file: StripeFixtureFile,
  options: { readonly apiKey: string; readonly random: SeededRandom },
): FixtureResponses {
  if (file.fixtures.length > fixtureStepsMax)
    throw new Error(`a fixture file holds at most ${fixtureStepsMax} steps`);
  const answers: FixtureResponses = {};
  for (const step of file.fixtures) {
    const method = (step.method ?? 'post').toUpperCase();
    const params = resolve(step.params ?? {}, answers, core, options.random) as Record<string, unknown>;
    const path = resolve(step.path, answers, core, options.random) as string;
    const headers = resolve(step.headers ?? {}, answers, core, options.random) as Record<string, string>;
    const inQuery = method === 'GET' || method === 'DELETE';
    const json = path.startsWith('/v2/') && !inQuery;
    const encoded = json ? JSON.stringify(params) : qs.stringify(params, { arrayFormat: 'indices' });
    const result = core.handleNow({
      method,
      path,
      query: inQuery ? encoded : '',
      headers: {
        authorization: `Bearer ${options.apiKey}`,
        'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
        ...Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
      },
      rawBody: inQuery ? '' : encoded,
    });
    const text = result.response.body.trim();
    const body = (text === '' ? {} : JSON.parse(text)) as { error?: { type?: string; message?: string } };
    const failed = result.response.status >= 400;
    if (failed && (step.expected_error_type === undefined || body.error?.type !== step.expected_error_type)) {
      const expected =
        step.expected_error_type === undefined ? '' : ` (expected a ${step.expected_error_type})`;
      throw new Error(
        `fixture '${step.name}' failed${expected}: ${result.response.status} ${body.error?.message ?? ''}`,
      );
    }
    answers[step.name] = body;
  }
  return answers;
}

function resolve(value: unknown, answers: FixtureResponses, core: StripeCore, random: SeededRandom): unknown {
  if (typeof value === 'string') return resolveText(value, answers, core, random);
  if (Array.isArray(value)) return value.map((item) => resolve(item, answers, core, random));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolve(item, answers, core, random)]),
    );
  }
  return value;
}

function resolveText(
  text: string,
  answers: FixtureResponses,
  core: StripeCore,
  random: SeededRandom,
): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, reference: string) => {
    if (reference === 'generate-uuid') return uuidFrom(random);
    if (reference === 'time-now-RFC3339') return core.sim.clock.now().toISOString();
    if (reference === 'time-now') return String(core.sim.clock.nowSeconds());
    const [name, field = 'id'] = reference.split(':', 2) as [string, string?];
    let node: unknown = answers[name];
    for (const part of field.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
    if (node === undefined) throw new Error(`fixture reference ${whole} names nothing`);
    return String(node);
  });
}

// A v4-shaped UUID from the run's stream, so fixture runs stay reproducible.
function uuidFrom(random: SeededRandom): string {
  const hex = random.string(32, '0123456789abcdef');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
