// JUnit XML for CI systems and instructors: one test case per check.
import { describeProvenance, type GradeReport } from '../core/grade/report';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `suite` names the test suite (default: the lab; a class's gradebook names the learner too). */
export function toJUnit(report: GradeReport, durationSeconds: number, suite = report.lab): string {
  const failures = report.results.filter((r) => r.status === 'fail').length;
  const skipped = report.results.filter((r) => r.status === 'skip').length;
  const cases = report.results.map((r) => {
    const where = r.location ? `${r.location.file}:${r.location.line}:${r.location.column}` : '';
    const attrs = `classname="${esc(`mllabs.${report.lab}`)}" name="${esc(r.title)}"${where ? ` file="${esc(r.location!.file)}" line="${r.location!.line}"` : ''}`;
    if (r.status === 'pass') return `    <testcase ${attrs}/>`;
    if (r.status === 'skip') return `    <testcase ${attrs}><skipped message="${esc(r.message)}"/></testcase>`;
    const body = [
      r.message,
      r.measured !== undefined ? `measured: ${r.measured}` : '',
      r.bar ? `bar: ${r.bar}` : '',
      r.hint ? `hint: ${r.hint}` : '',
      where ? `at: ${where}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    return `    <testcase ${attrs}><failure message="${esc(r.message)}" type="${esc(r.id)}">${esc(body)}</failure></testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mllabs" tests="${report.results.length}" failures="${failures}" skipped="${skipped}" time="${durationSeconds.toFixed(3)}">`,
    `  <testsuite name="${esc(suite)}" tests="${report.results.length}" failures="${failures}" skipped="${skipped}" time="${durationSeconds.toFixed(3)}" timestamp="${esc(report.gradedAt)}">`,
    `    <properties>${[
      ['run', report.runId],
      ...(report.provenance
        ? [
            ['bars', report.provenance.manifest === 'course' ? 'course' : "lab in development (the folder's own lab.json)"],
            ['manifest-sha256', report.provenance.manifestSha256 ?? ''],
            ['graded-from', report.provenance.from],
            ['split', report.provenance.split ?? 'lab'],
            ['trained-by', report.provenance.trainedBy ?? ''],
            ['confined', report.provenance.confinement ? String(report.provenance.confinement.active) : ''],
            ['backend', report.provenance.backend ?? ''],
            [
              'versions',
              Object.entries(report.provenance.versions ?? {})
                .map(([k, v]) => `${k} ${v}`)
                .join(', '),
            ],
            ['provenance', describeProvenance(report.provenance, report.lab, report.runId).join(' | ')],
          ]
        : []),
    ]
      .map(([name, value]) => `<property name="${esc(name)}" value="${esc(value)}"/>`)
      .join('')}</properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
