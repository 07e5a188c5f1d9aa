import { XMLBuilder } from 'fast-xml-parser';
import type { ScenarioResult } from '../runner.ts';
import { summarize } from '../suite.ts';

/**
 * JUnit XML as common CI systems read it: one `<testsuite>` per pattern, one `<testcase>` per
 * scenario × PSP, `<failure>` with the findings and the replay command, `<skipped>` with why.
 */
export function junitReport(results: readonly ScenarioResult[]): string {
  const patterns = [...new Set(results.map((result) => result.pattern))];
  const suites = patterns.map((pattern) => {
    const mine = results.filter((result) => result.pattern === pattern);
    const counts = summarize(mine);
    return {
      '@_name': pattern,
      '@_tests': counts.total,
      '@_failures': counts.failed,
      '@_errors': counts.errored,
      '@_skipped': counts.skipped,
      testcase: mine.map(testcase),
    };
  });
  const counts = summarize(results);
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true });
  const body = builder.build({
    testsuites: {
      '@_name': 'fakepsp',
      '@_tests': counts.total,
      '@_failures': counts.failed,
      '@_errors': counts.errored,
      '@_skipped': counts.skipped,
      testsuite: suites,
    },
  }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

function testcase(result: ScenarioResult) {
  const base = {
    '@_name': `${result.scenario} [${result.psp}]`,
    '@_classname': `${result.pattern}.${result.psp}`,
  };
  const details = [
    ...result.findings.map((finding) => `${finding.kind}: ${finding.message}`),
    `seed ${result.seed} · journal ${result.journalHash}`,
    `replay: ${result.replay}`,
  ].join('\n');
  switch (result.status) {
    case 'passed':
      return base;
    case 'skipped':
      return { ...base, skipped: { '@_message': result.reason ?? 'skipped' } };
    case 'errored':
      return { ...base, error: { '@_message': result.reason ?? 'error', '#text': details } };
    case 'failed':
      return { ...base, failure: { '@_message': `${result.findings.length} break(s)`, '#text': details } };
  }
}
