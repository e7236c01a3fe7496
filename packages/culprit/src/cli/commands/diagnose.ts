import { readFileSync, writeFileSync } from 'node:fs';
import type { Capture } from '../../capture/types.js';
import { diagnose, rules } from '../../diagnose/diagnose.js';
import { renderFindingsText } from '../../diagnose/render-text.js';
import { attachSnippets } from '../../diagnose/snippets.js';
import { CulpritError } from '../../errors/culprit-error.js';
import { readCaptureFile, writeHtmlReport } from '../../report/index.js';
import type { CliIo, Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';

const help = `Usage: culprit diagnose CAPTURE.json [options]

Reads a capture written by culprit trace or culprit profile (--save) and
ranks what makes its requests slow: each finding is one sentence with a file
and line, its evidence, and the code around it.

Rules:
${rules.map((rule) => `  ${rule.id.padEnd(20)} ${rule.describe}`).join('\n')}

Options:
  --json         print the findings as JSON
  --save FILE    write the capture with its findings (for culprit view)
  --html FILE    write a self-contained HTML report with the findings
  -h, --help     show this help
`;

const flags = {
  json: { type: 'boolean' },
  save: { type: 'string' },
  html: { type: 'string' },
} as const;

/** Reads source files for snippets; a missing file just means no snippet. */
function readSourceFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Adds ranked findings (with code snippets) to a capture. */
export function diagnoseCapture(capture: Capture): Capture {
  return { ...capture, findings: attachSnippets(diagnose(capture), readSourceFile) };
}

async function runDiagnose(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('diagnose', args, flags);
  const [file, ...extra] = positionals;
  if (file === undefined) {
    throw new CulpritError(
      'CULPRIT_E_MISSING_ARGUMENT',
      'culprit diagnose needs a capture file (culprit diagnose capture.json)',
    );
  }
  if (extra.length > 0) {
    throw new CulpritError('CULPRIT_E_BAD_FLAG_VALUE', `culprit diagnose takes one capture, got ${positionals.length}`);
  }
  const diagnosed = diagnoseCapture(await readCaptureFile(file));
  const findings = diagnosed.findings ?? [];
  if (values.save !== undefined) {
    try {
      writeFileSync(values.save, `${JSON.stringify(diagnosed)}\n`);
    } catch (error) {
      throw new CulpritError('CULPRIT_E_UNWRITABLE_FILE', `cannot write ${values.save}: ${String(error)}`, {
        cause: error,
      });
    }
  }
  if (values.html !== undefined) await writeHtmlReport(diagnosed, values.html);
  io.stdout.write(values.json ? `${JSON.stringify(findings, null, 2)}\n` : renderFindingsText(findings));
  return 0;
}

export const diagnoseCommand: Command = {
  summary: 'rank what makes a captured request slow, with file, line and evidence',
  help,
  run: runDiagnose,
};
