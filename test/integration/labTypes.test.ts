// Every freshly scaffolded lab type-checks as the editor sees it (its tsconfig.json, no node_modules),
// with the starter code, the reference solution and every wrong solution in the entry file; and the
// editor gets real TensorFlow.js types: completions, documentation, signatures, errors for typos.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { loadCatalog, type Lab } from '../../src/core/lab/catalog';
import { LAB_TYPES_DIR, refreshLabTypes } from '../../src/core/lab/editorTypes';
import { scaffoldLab } from '../../src/core/lab/scaffold';
import { REPO_ROOT, tempDir } from '../helpers';

const TEMPLATES = path.join(REPO_ROOT, 'lab-templates');
const labs = loadCatalog(TEMPLATES).labs;

/** A lab's project as tsc -p reads it, re-checked after files change (unchanged files are parsed once). */
class LabProject {
  private readonly parsed: ts.ParsedCommandLine;
  private readonly host: ts.CompilerHost;
  private readonly cache = new Map<string, { text: string; file: ts.SourceFile }>();
  private program: ts.Program | undefined;

  constructor(readonly dir: string) {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      path.join(dir, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
      },
    );
    assert.ok(parsed);
    this.parsed = parsed;
    this.host = ts.createCompilerHost(parsed.options);
    this.host.getSourceFile = (fileName, languageVersion) => {
      const text = ts.sys.readFile(fileName);
      if (text === undefined) return undefined;
      const hit = this.cache.get(fileName);
      if (hit?.text === text) return hit.file;
      const file = ts.createSourceFile(fileName, text, languageVersion);
      this.cache.set(fileName, { text, file });
      return file;
    };
  }

  /** Every error tsc -p would print, formatted as it prints them. */
  errors(): string[] {
    this.program = ts.createProgram({ rootNames: this.parsed.fileNames, options: this.parsed.options, host: this.host, oldProgram: this.program });
    return ts
      .getPreEmitDiagnostics(this.program)
      .map((d) => ts.formatDiagnostic(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => this.dir, getNewLine: () => '\n' }).trim());
  }
}

function scaffold(lab: Lab): string {
  const dir = path.join(tempDir(`mllabs-types-${lab.manifest.id}-`), lab.manifest.id);
  scaffoldLab(lab, TEMPLATES, dir);
  return dir;
}

/** Wrong solutions whose mistake is a type error by nature (none so far): they must not type-check. */
const WRONG_BY_TYPE: Record<string, string[]> = {};

describe('TypeScript in scaffolded labs', function () {
  this.timeout(120_000);

  it('a scaffolded lab has its tsconfig.json and the declarations, and no node_modules', () => {
    const dir = scaffold(labs[0]);
    for (const f of ['tsconfig.json', `${LAB_TYPES_DIR}/tfjs.d.ts`, `${LAB_TYPES_DIR}/globals.d.ts`])
      assert.ok(fs.existsSync(path.join(dir, f)), `${f} is scaffolded`);
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules')));
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  for (const lab of labs) {
    it(`${lab.manifest.id}: the starter, the reference and every wrong solution type-check`, () => {
      const dir = scaffold(lab);
      try {
        const project = new LabProject(dir);
        assert.deepStrictEqual(project.errors(), [], 'the starter code');
        const entry = path.join(dir, lab.manifest.files[0]);
        const { reference, wrong } = lab.manifest.solutions;
        const variants = [reference, ...wrong.map((w) => w.file)];
        for (const solution of variants) {
          fs.copyFileSync(path.join(lab.dir, solution), entry);
          const errors = project.errors();
          if (WRONG_BY_TYPE[lab.manifest.id]?.includes(solution)) assert.notDeepStrictEqual(errors, [], `${solution} is wrong by its types`);
          else assert.deepStrictEqual(errors, [], solution);
        }
      } finally {
        fs.rmSync(path.dirname(dir), { recursive: true, force: true });
      }
    });
  }

  it('tsc --noEmit -p <lab> passes, and reports a typo in a TensorFlow.js call at its line, with the fix', () => {
    const lab = labs.find((l) => l.manifest.id === 'custom-estimator')!;
    const dir = scaffold(lab);
    try {
      const tsc = () => spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', dir], { encoding: 'utf8' });
      const ok = tsc();
      assert.strictEqual(ok.status, 0, ok.stdout);
      const entry = path.join(dir, lab.manifest.files[0]);
      const line = fs.readFileSync(entry, 'utf8').split('\n').length;
      fs.appendFileSync(entry, 'export const typo = tf.sequentil();\n');
      const bad = tsc();
      assert.notStrictEqual(bad.status, 0);
      assert.match(bad.stdout, new RegExp(`model\\.ts\\(${line},\\d+\\): error TS2551: Property 'sequentil' does not exist .* Did you mean 'sequential'\\?`));
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it('the editor completes and documents tf, and the lab data types', () => {
    const lab = labs.find((l) => l.manifest.id === 'hand-tuning')!;
    const dir = scaffold(lab);
    try {
      const probe = path.join(dir, 'probe.ts');
      const text =
        "import * as tf from '@tensorflow/tfjs';\nimport type { HousingRow } from './data/housing';\nexport const m = tf.sequential();\nexport const d = tf.layers.dense({ units: 1 });\nexport const t = tf.tensor2d([[1]]);\nexport const f = (row: HousingRow) => row.median_income;\n";
      fs.writeFileSync(probe, text);
      const parsed = ts.getParsedCommandLineOfConfigFile(
        path.join(dir, 'tsconfig.json'),
        {},
        { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
      )!;
      const service = ts.createLanguageService({
        getCompilationSettings: () => parsed.options,
        getScriptFileNames: () => parsed.fileNames,
        getScriptVersion: () => '1',
        getScriptSnapshot: (f) => (fs.existsSync(f) ? ts.ScriptSnapshot.fromString(fs.readFileSync(f, 'utf8')) : undefined),
        getCurrentDirectory: () => dir,
        getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
        fileExists: (f) => ts.sys.fileExists(f),
        readFile: (f, encoding) => ts.sys.readFile(f, encoding),
      });
      const after = (needle: string) => text.indexOf(needle) + needle.length;
      const completions = (pos: number) => service.getCompletionsAtPosition(probe, pos, {})?.entries.map((e) => e.name) ?? [];
      const tfMembers = completions(after('= tf.'));
      for (const name of ['sequential', 'layers', 'tensor2d', 'train', 'tidy']) assert.ok(tfMembers.includes(name), `tf.${name} is offered`);
      assert.ok(completions(after('tf.layers.')).includes('dense'));
      assert.ok(completions(after('row.')).includes('median_house_value'), 'the lab data type completes');
      const info = service.getQuickInfoAtPosition(probe, after('tf.layers.de'));
      assert.match(ts.displayPartsToString(info?.documentation), /Creates a dense \(fully connected\) layer/, 'tf.layers.dense has its documentation');
      const help = service.getSignatureHelpItems(probe, after('tf.tensor2d('), undefined);
      assert.ok(help && help.items.length > 0, 'tf.tensor2d( shows its signature');
      assert.match(
        ts.displayPartsToString(service.getQuickInfoAtPosition(probe, text.indexOf('m = '))?.displayParts),
        /Sequential/,
        'tf.sequential() is a Sequential, not any',
      );
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it('refreshLabTypes brings stale declarations up to date and leaves a learner tsconfig.json alone', () => {
    const dir = scaffold(labs[0]);
    try {
      assert.deepStrictEqual(refreshLabTypes(dir, TEMPLATES), [], 'a fresh lab is up to date');
      fs.writeFileSync(path.join(dir, LAB_TYPES_DIR, 'tfjs.d.ts'), '// an older TensorFlow.js\n');
      fs.rmSync(path.join(dir, LAB_TYPES_DIR, 'globals.d.ts'));
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": {} }');
      assert.deepStrictEqual(refreshLabTypes(dir, TEMPLATES).sort(), [`${LAB_TYPES_DIR}/globals.d.ts`, `${LAB_TYPES_DIR}/tfjs.d.ts`]);
      assert.ok(fs.readFileSync(path.join(dir, LAB_TYPES_DIR, 'tfjs.d.ts')).equals(fs.readFileSync(path.join(TEMPLATES, '_typescript', 'tfjs.d.ts'))));
      assert.strictEqual(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'), '{ "compilerOptions": {} }');
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
