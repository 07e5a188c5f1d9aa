import type {
  IntegrationPattern,
  RecordUsageRequest,
  TopUpRequest,
  CreateCustomerRequest,
} from '../../sut/contract.ts';
import type { Runtime } from '../context.ts';
import type { PatternEventHandler } from '../events.ts';

/** One integration pattern: what differs between them; refunds, webhooks and polling are shared. */
export interface Pattern {
  readonly name: IntegrationPattern;
  /** After the shared setup (client, webhook endpoint, event cursor). */
  onSetup(runtime: Runtime): Promise<void>;
  createCustomer(runtime: Runtime, request: CreateCustomerRequest): Promise<void>;
  recordUsage(runtime: Runtime, request: RecordUsageRequest): Promise<void>;
  topUp(runtime: Runtime, request: TopUpRequest): Promise<void>;
  /** Runs every job due up to the runtime's (just advanced) now. */
  runDueJobs(runtime: Runtime): Promise<void>;
  /** Events the shared handler leaves to the pattern (Stripe Billing's `invoice.*`). */
  readonly onEvent: PatternEventHandler;
}

/** An event handler for patterns that need no more than the shared one. */
export const ignoreEvent: PatternEventHandler = () => Promise.resolve();
