import { createHash } from 'node:crypto';
import type { PspName } from '../fakes/common/psp-core.ts';
import { sutFlags, type SutIdentity } from '../scenarios/run-identity.ts';
import type { IntegrationPattern } from '../sut/contract.ts';
import type { ExploreFinding } from './explore.ts';
import { rulesOf } from './fault-arms.ts';
import { literal, quote } from './literal.ts';
import { vocabularyOf } from './vocabulary.ts';

/** Where and how a finding was made: what the written file's replay lines say. */
export interface FindingOrigin {
  readonly pattern: IntegrationPattern;
  readonly psp: PspName;
  readonly seed: number;
  readonly maxSteps: number;
  /** The SUT it was found against (the reference with `--mutant noWebhookDedupe`, a `--sut-cmd` …). */
  readonly sut: SutIdentity;
}

/** The written scenario's file name: the same for the same finding, different for different ones. */
export function findingFileName(finding: ExploreFinding, origin: FindingOrigin): string {
  const digest = createHash('sha256').update(JSON.stringify(finding.sequence)).digest('hex').slice(0, 8);
  return `${origin.pattern}.${origin.psp}.${finding.kinds.join('+')}.seed-${origin.seed}.${digest}.scenario.ts`;
}

function shrinkWords(finding: ExploreFinding): string {
  if (finding.shrinkRuns === 0) return 'not shrunk';
  const cut = { time: ', cut short by the time budget', runs: ', cut short by --shrink-runs' } as const;
  return `shrunk in ${finding.shrinkRuns} runs${finding.shrinkCutBy === undefined ? '' : cut[finding.shrinkCutBy]}`;
}

/** The command that explores again and finds the same first failure. */
export function exploreCommand(origin: FindingOrigin): string {
  if (origin.sut.kind === 'factory')
    return (
      `exploreTest({ sut: <your factory>, pattern: '${origin.pattern}', psp: '${origin.psp}', ` +
      `seed: ${origin.seed}, maxSteps: ${origin.maxSteps} })`
    );
  const flags = sutFlags(origin.sut);
  const sut = flags === '' ? '' : ` ${flags}`;
  return (
    `npx fakepsp explore${sut} --pattern ${origin.pattern} --psp ${origin.psp} ` +
    `--seed ${origin.seed} --max-steps ${origin.maxSteps}`
  );
}

/** The command that runs the written file against the same SUT. */
export function runCommandLine(file: string, origin: FindingOrigin): string {
  if (origin.sut.kind === 'factory') return `scenarioTests(${JSON.stringify(file)}, { sut: <your factory> })`;
  const flags = sutFlags(origin.sut);
  return `npx fakepsp run ${file}${flags === '' ? '' : ` ${flags}`}`;
}

/**
 * The shrunk sequence as an ordinary scenario file over the public API: one `ctx.step` per
 * action that ran, one line each, the armed faults as its `faults:` plan with a comment naming
 * each, its seed fixed, and the lines that replay it.
 */
export function scenarioSource(finding: ExploreFinding, origin: FindingOrigin, file: string): string {
  const vocabulary = vocabularyOf(origin.pattern, origin.psp);
  const rules = finding.sequence.faults.flatMap((arm) => rulesOf(arm, vocabulary));
  const steps = finding.records.filter((record) => record.skipped === undefined && record.code !== undefined);
  const refusable = steps.some((record) => record.code!.includes('refused'));
  const kinds = finding.kinds.join(', ');
  const name = `explore: ${kinds} [${origin.pattern} · ${origin.psp}] seed ${origin.seed}`;
  const lines = [
    `// Found by \`fakepsp explore\`: ${finding.result.status === 'errored' ? 'a run that errors' : `breaks ${kinds}`}.`,
    `// Run it:        ${runCommandLine(file, origin)}`,
    `// Explore again: ${exploreCommand(origin)}`,
    `// fast-check:    fc.assert(property, { seed: ${origin.seed}, path: ${JSON.stringify(finding.path)} })`,
    `//                (first failure: generated sequence #${finding.index}; ${shrinkWords(finding)})`,
    "import { defineScenario } from 'fakepsp';",
    '',
  ];
  if (refusable) {
    lines.push('/** The service may refuse a request (a 4xx): that is its answer, not a break. */');
    lines.push('const refused = () => undefined;');
    lines.push('');
  }
  lines.push('export default defineScenario({');
  lines.push(`  name: ${quote(name)},`);
  lines.push(`  pattern: ${quote(origin.pattern)},`);
  lines.push(`  psps: [${quote(origin.psp)}],`);
  lines.push(`  seed: ${origin.seed},`);
  if (rules.length > 0) {
    lines.push('  faults: {');
    for (const section of ['api', 'webhooks', 'outages'] as const) {
      const inSection = rules.filter((rule) => rule.section === section);
      if (inSection.length === 0) continue;
      lines.push(`    ${section}: [`);
      for (const entry of inSection) {
        lines.push(
          `      // ${entry.section === 'outages' ? entry.name : (entry.rule as { name: string }).name}`,
        );
        lines.push(`      ${literal(entry.rule)},`);
      }
      lines.push('    ],');
    }
    lines.push('  },');
  }
  lines.push('  async run(ctx) {');
  for (const step of steps) lines.push(`    await ctx.step(${quote(step.label)}, ${step.code});`);
  lines.push('  },');
  lines.push('});');
  return `${lines.join('\n')}\n`;
}
