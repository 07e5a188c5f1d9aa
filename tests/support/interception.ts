import type { SetupServer } from 'msw/node';
import type { PspCore, PspName } from '../../src/fakes/common/psp-core.ts';

/** How the SDK reaches the fake: a loopback server, or interception of the PSP's real host. */
export type TransportMode = 'http' | 'msw' | 'nock';

/** The transport of this test run: `FAKEPSP_TRANSPORT` (vitest projects set it), default http. */
export const transportMode = (process.env.FAKEPSP_TRANSPORT ?? 'http') as TransportMode;

// Interception transports patch process-wide modules, so every PSP's harnesses share them: per
// PSP the newest harness answers, and the one before it is restored when the newer closes.
const stacks: Record<PspName, PspCore[]> = { stripe: [], adyen: [], razorpay: [] };
let mswServer: SetupServer | undefined;
let stopNock: (() => void) | undefined;

function current(): Partial<Record<PspName, PspCore>> {
  const cores: Partial<Record<PspName, PspCore>> = {};
  for (const psp of Object.keys(stacks) as PspName[]) {
    const core = stacks[psp].at(-1);
    if (core !== undefined) cores[psp] = core;
  }
  return cores;
}

// msw and nock patch the same globals, and nock does so on import: load only the one in use.
async function apply(mode: 'msw' | 'nock'): Promise<void> {
  const cores = current();
  const none = Object.keys(cores).length === 0;
  if (mode === 'msw') {
    const { fakepspHandlers } = await import('../../src/transports/msw.ts');
    // One msw server per process: msw does not take kindly to a second one after a close.
    if (mswServer === undefined) {
      const { setupServer } = await import('msw/node');
      mswServer = setupServer();
      mswServer.listen({ onUnhandledFrame: 'bypass' });
    }
    mswServer.resetHandlers(...(none ? [] : fakepspHandlers(cores)));
    return;
  }
  const { interceptPsps } = await import('../../src/transports/nock.ts');
  stopNock?.();
  stopNock = none ? undefined : interceptPsps(cores);
}

/** Answers the core's PSP hosts from it through msw or nock; resolves to the detach function. */
export async function interceptCore(mode: 'msw' | 'nock', core: PspCore): Promise<() => Promise<void>> {
  const stack = stacks[core.psp];
  stack.push(core);
  await apply(mode);
  return async () => {
    stack.splice(stack.lastIndexOf(core), 1);
    await apply(mode);
  };
}
