import type { PspName } from '../fakes/common/psp-core.ts';
import { defineScenario, type Scenario } from '../scenarios/define.ts';
import type { IntegrationPattern } from '../sut/contract.ts';
import type { Sequence } from './actions.ts';
import { planOf } from './fault-arms.ts';
import { Interpreter } from './interpret.ts';
import { vocabularyOf } from './vocabulary.ts';

/** A sequence as a runnable scenario, and the interpreter that records what each action became. */
export interface ExploredScenario {
  readonly scenario: Scenario;
  readonly interpreter: Interpreter;
}

/** Turns one generated sequence into a scenario of the pattern and PSP, run with `seed`. */
export function exploredScenario(
  sequence: Sequence,
  options: {
    readonly name: string;
    readonly pattern: IntegrationPattern;
    readonly psp: PspName;
    readonly seed: number;
  },
): ExploredScenario {
  const vocabulary = vocabularyOf(options.pattern, options.psp);
  const interpreter = new Interpreter(vocabulary);
  const plan = planOf(sequence.faults, vocabulary);
  const scenario = defineScenario({
    name: options.name,
    pattern: options.pattern,
    psps: [options.psp],
    seed: options.seed,
    ...(Object.keys(plan).length === 0 ? {} : { faults: plan }),
    async run(ctx) {
      for (const signUp of sequence.signUps) await interpreter.apply(ctx, signUp);
      for (const action of sequence.actions) await interpreter.apply(ctx, action);
      await interpreter.finish(ctx);
    },
  });
  return { scenario, interpreter };
}
