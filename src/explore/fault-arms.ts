import fc from 'fast-check';
import type {
  ApiFaultEffect,
  ApiFaultRule,
  FaultPlan,
  OutageWindow,
  WebhookFaultEffect,
  WebhookFaultRule,
} from '../fakes/common/faults.ts';
import { defaultStartAtMs } from '../sim/simulation.ts';
import type { Vocabulary } from './vocabulary.ts';

/**
 * One fault armed for a whole explored run, in the fault plan's own vocabulary. Rules select by
 * `nth` occurrence, path and event type, never by `rate`, so a replay does not depend on the
 * order of random draws. Targets and families are indices into the {@link Vocabulary}.
 */
export type FaultArm =
  | {
      /** The PSP acted, and its answer is lost: the response behind most double charges. */
      readonly kind: 'lostResponse';
      readonly target: number;
      readonly nth: number;
      /** How many requests in a row from the nth: 3 outlasts an SDK's own two retries. */
      readonly times: 1 | 3;
      readonly effect: 'reset' | 'timeout' | 'server_error';
    }
  | {
      /** Refused before the PSP acted. */
      readonly kind: 'refusedBefore';
      readonly target: number;
      readonly nth: number;
      readonly times: 1 | 3;
      readonly effect: 'server_error' | 'rate_limit' | 'reset';
    }
  | {
      readonly kind: 'webhook';
      readonly family: number;
      readonly nth: number;
      readonly every: boolean;
      readonly effect: WebhookFaultEffect['kind'];
      /** Which of the effect's settings (how late, how many copies). */
      readonly setting: number;
    }
  | {
      /** Every attempt of a family dropped while the faults last; only where a service can poll events. */
      readonly kind: 'webhookLost';
      readonly family: number;
    }
  | { readonly kind: 'outage'; readonly fromHours: number; readonly hours: number };

const minute = 60_000;
const hour = 60 * minute;
const delays = [10 * minute, hour, 6 * hour] as const;
const windows = [10 * minute, hour] as const;
const replays = [hour, 12 * hour] as const;

const pick = <T>(options: readonly T[], at: number): T => options[at % options.length]!;

const nth = fc.integer({ min: 1, max: 4 });
// API faults fire on a bounded run of requests, never on every one: an SDK backs off in wall time
// between its retries, so an unbounded arm would make one run take a minute.
const times = fc.constantFrom(1 as const, 3 as const);
const every = fc.oneof(
  { weight: 4, arbitrary: fc.constant(false) },
  { weight: 1, arbitrary: fc.constant(true) },
);
const setting = fc.nat({ max: 2 });

/** The fault arm arbitrary of a vocabulary. */
export function faultArmArbitrary(vocabulary: Vocabulary): fc.Arbitrary<FaultArm> {
  const target = fc.nat({ max: vocabulary.faultTargets.length - 1 });
  const lostTarget = fc.nat({ max: vocabulary.lostAnswerTargets.length - 1 });
  const family = fc.nat({ max: vocabulary.eventFamilies.length - 1 });
  const pollable = vocabulary.eventFamilies.flatMap((entry, at) => (entry.pollable ? [at] : []));
  const arms: Array<fc.Arbitrary<FaultArm>> = [
    fc.record({
      kind: fc.constant('webhook' as const),
      family,
      nth,
      every,
      effect: fc.constantFrom(
        'drop' as const,
        'duplicate' as const,
        'delay' as const,
        'reorder' as const,
        'bad_signature' as const,
        'stale_timestamp' as const,
        'replay' as const,
      ),
      setting,
    }),
    fc.record({
      kind: fc.constant('lostResponse' as const),
      target: lostTarget,
      nth,
      times,
      effect: fc.constantFrom('reset' as const, 'timeout' as const, 'server_error' as const),
    }),
    fc.record({
      kind: fc.constant('refusedBefore' as const),
      target,
      nth,
      times,
      effect: fc.constantFrom('server_error' as const, 'rate_limit' as const, 'reset' as const),
    }),
    fc.record({
      kind: fc.constant('outage' as const),
      fromHours: fc.nat({ max: 45 * 24 }),
      hours: fc.integer({ min: 1, max: 6 }),
    }),
  ];
  if (pollable.length > 0) {
    arms.push(fc.record({ kind: fc.constant('webhookLost' as const), family: fc.constantFrom(...pollable) }));
  }
  return fc.oneof(...arms);
}

const ordinal = (n: number) => `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;
const span = (ms: number) => (ms >= hour ? `${ms / hour} h` : `${ms / minute} min`);

function apiEffect(arm: Extract<FaultArm, { kind: 'lostResponse' | 'refusedBefore' }>): ApiFaultEffect {
  if (arm.effect === 'server_error')
    return { kind: 'server_error', status: arm.kind === 'lostResponse' ? 500 : 503 };
  if (arm.effect === 'rate_limit') return { kind: 'rate_limit', retryAfterSeconds: 1 };
  return { kind: arm.effect };
}

function webhookEffect(arm: Extract<FaultArm, { kind: 'webhook' }>): WebhookFaultEffect {
  switch (arm.effect) {
    case 'duplicate':
      return { kind: 'duplicate', copies: 1 + (arm.setting % 3) };
    case 'delay':
      return { kind: 'delay', delayMs: pick(delays, arm.setting) };
    case 'reorder':
      return { kind: 'reorder', windowMs: pick(windows, arm.setting) };
    case 'replay':
      return { kind: 'replay', afterMs: pick(replays, arm.setting) };
    case 'bad_signature':
      // One forged signature in three is no signature at all: a service that checks only what is there.
      return { kind: arm.setting === 1 ? 'unsigned' : 'bad_signature' };
    default:
      return { kind: arm.effect };
  }
}

const webhookWords: Readonly<Record<WebhookFaultEffect['kind'], (effect: WebhookFaultEffect) => string>> = {
  drop: () => 'dropped (retried on schedule)',
  duplicate: (effect) => `delivered ${1 + ((effect as { copies?: number }).copies ?? 1)} times`,
  delay: (effect) => `delayed ${span((effect as { delayMs: number }).delayMs)}`,
  reorder: (effect) => `shuffled within ${span((effect as { windowMs: number }).windowMs)}`,
  bad_signature: () => 'sent with a bad signature',
  unsigned: () => 'sent with no signature at all',
  stale_timestamp: () => 'sent with a stale signature timestamp',
  replay: (effect) => `replayed ${span((effect as { afterMs: number }).afterMs)} later`,
};

/** One arm as a fault plan rule, named in words (the written scenario's comment). */
export type ArmedRule =
  | { readonly section: 'api'; readonly rule: ApiFaultRule }
  | { readonly section: 'webhooks'; readonly rule: WebhookFaultRule }
  | { readonly section: 'outages'; readonly rule: OutageWindow; readonly name: string };

/** The fault plan rules an arm stands for (a run of API requests is one rule per request). */
export function rulesOf(arm: FaultArm, vocabulary: Vocabulary): ArmedRule[] {
  if (arm.kind === 'lostResponse' || arm.kind === 'refusedBefore') {
    const targets = arm.kind === 'lostResponse' ? vocabulary.lostAnswerTargets : vocabulary.faultTargets;
    const target = pick(targets, arm.target);
    return Array.from({ length: arm.times }, (_, offset) => {
      const nthRequest = arm.nth + offset;
      const which = `the ${ordinal(nthRequest)} ${target.label} request`;
      const name =
        arm.kind === 'lostResponse'
          ? `${which}: its answer is lost after the PSP acted (${arm.effect})`
          : `${which}: refused before the PSP acted (${arm.effect})`;
      return {
        section: 'api' as const,
        rule: {
          name,
          psp: target.psp,
          phase: arm.kind === 'lostResponse' ? ('after' as const) : ('before' as const),
          match: {
            method: target.method,
            ...(target.path === undefined ? {} : { path: target.path }),
            nth: nthRequest,
          },
          effect: apiEffect(arm),
        },
      };
    });
  }
  return [ruleOf(arm, vocabulary)];
}

function ruleOf(
  arm: Exclude<FaultArm, { kind: 'lostResponse' | 'refusedBefore' }>,
  vocabulary: Vocabulary,
): ArmedRule {
  if (arm.kind === 'webhook') {
    const family = pick(vocabulary.eventFamilies, arm.family);
    // Only Stripe signs a timestamp: at Adyen and Razorpay an old delivery is a valid retry.
    const effect = webhookEffect(
      arm.effect === 'stale_timestamp' && family.psp !== 'stripe' ? { ...arm, effect: 'bad_signature' } : arm,
    );
    const events =
      family.eventType === '*' ? `${family.psp} webhook` : `${family.psp} ${family.eventType} webhook`;
    const which = arm.every ? `every ${events}` : `the ${ordinal(arm.nth)} ${events}`;
    return {
      section: 'webhooks',
      rule: {
        name: `${which} ${webhookWords[effect.kind](effect)}`,
        psp: family.psp,
        match: {
          ...(family.eventType === '*' ? {} : { eventType: family.eventType }),
          ...(arm.every ? {} : { nth: arm.nth }),
        },
        effect,
      },
    };
  }
  if (arm.kind === 'webhookLost') {
    const family = pick(vocabulary.eventFamilies, arm.family);
    const events =
      family.eventType === '*' ? `${family.psp} webhook` : `${family.psp} ${family.eventType} webhook`;
    return {
      section: 'webhooks',
      rule: {
        name: `every attempt of every ${events} dropped while the faults last`,
        psp: family.psp,
        match: { ...(family.eventType === '*' ? {} : { eventType: family.eventType }), retries: true },
        effect: { kind: 'drop' },
      },
    };
  }
  const fromMs = defaultStartAtMs + arm.fromHours * hour;
  return {
    section: 'outages',
    rule: { fromMs, toMs: fromMs + arm.hours * hour },
    name: `the webhook endpoint is down for ${arm.hours} h from ${new Date(fromMs).toISOString()}`,
  };
}

/** The fault plan of a run's arms, in arm order. */
export function planOf(arms: readonly FaultArm[], vocabulary: Vocabulary): FaultPlan {
  const rules = arms.flatMap((arm) => rulesOf(arm, vocabulary));
  const api = rules.flatMap((entry) => (entry.section === 'api' ? [entry.rule] : []));
  const webhooks = rules.flatMap((entry) => (entry.section === 'webhooks' ? [entry.rule] : []));
  const outages = rules.flatMap((entry) => (entry.section === 'outages' ? [entry.rule] : []));
  return {
    ...(api.length === 0 ? {} : { api }),
    ...(webhooks.length === 0 ? {} : { webhooks }),
    ...(outages.length === 0 ? {} : { outages }),
  };
}
