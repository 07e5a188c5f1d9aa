/**
 * `fakepsp/sut`: the SUT contract and its HTTP binding — the client the harness speaks, the
 * express router a Node service mounts, and the harness's process management for `--sut-cmd`.
 *
 * @example
 * import { billingSystemRouter } from 'fakepsp/sut';
 * app.use(billingSystemRouter(myBillingSystem));
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
