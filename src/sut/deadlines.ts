import { wallClockTimer } from '../sim/wall-clock.ts';
import type { BillingSystem } from './contract.ts';
import { SutUnreachableError } from './http-binding.ts';

/**
 * The system with a real-time deadline on every call, so an in-process service that never
 * answers fails its run naming the call, as one behind a URL does, instead of hanging the suite.
 */
export function withDeadlines(
  system: BillingSystem & { close?(): Promise<void> },
  timeoutMs: number,
): BillingSystem & { close?(): Promise<void> } {
  const guard =
    <A extends unknown[], R>(operation: keyof BillingSystem) =>
    (...args: A): Promise<R> =>
      new Promise<R>((resolve, reject) => {
        const method = system[operation] as unknown as ((...args: A) => Promise<R>) | undefined;
        if (typeof method !== 'function') {
          reject(new Error(`the billing system has no ${operation}() (the SUT contract: BillingSystem)`));
          return;
        }
        const cancel = wallClockTimer(timeoutMs, () =>
          reject(
            new SutUnreachableError(
              `the billing service did not answer ${operation} within ${timeoutMs / 1000} s (--sut-timeout)`,
            ),
          ),
        );
        method.apply(system, args).then(
          (value) => (cancel(), resolve(value)),
          (error: unknown) => (cancel(), reject(error)),
        );
      });
  return {
    // An in-process system made for one run may hold a server: its own close, not guarded.
    ...(system.close === undefined ? {} : { close: system.close.bind(system) }),
    setup: guard('setup'),
    createCustomer: guard('createCustomer'),
    recordUsage: guard('recordUsage'),
    topUp: guard('topUp'),
    refund: guard('refund'),
    advanceClock: guard('advanceClock'),
    settle: guard('settle'),
    ledger: guard('ledger'),
  };
}
