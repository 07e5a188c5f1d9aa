/**
 * `fakepsp/sut`: the SUT contract and its HTTP binding — the client the harness speaks, the
 * express router a Node service mounts, and the harness's process management for `--sut-cmd`.
 *
 * @example
 * import express from 'express';
 * import { billingSystemRouter } from 'fakepsp/sut';
 * import { createReferenceBillingSystem } from 'fakepsp/reference';
 * const app = express();
 * app.use(billingSystemRouter(createReferenceBillingSystem())); // or your own BillingSystem
 * app.listen(4000, '127.0.0.1');
 */
export type * from '../sut/contract.ts';
export {
  httpBillingSystem,
  billingSystemRouter,
  runIdHeader,
  sutTimeoutMsDefault,
  SutHttpError,
  SutUnreachableError,
} from '../sut/http-binding.ts';
export type { HttpBillingSystemOptions } from '../sut/http-binding.ts';
export type { BindingHandler } from '../sut/binding-router.ts';
export { commandSutPool, sutReadyTimeoutMsDefault } from '../sut/command-sut.ts';
export type { CommandSut, CommandSutOptions, CommandSutPool } from '../sut/command-sut.ts';
