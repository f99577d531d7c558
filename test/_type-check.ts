import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

/*
 * `tsc --noEmit -p <project>` for a change: the diagnostics tsc reports in the changed files and
 * in every file that imports one of them, directly or not, with the project's own tsconfig.json.
 * A module's diagnostics depend only on itself and on what it imports (the changed files declare
 * nothing global, see below), so the other files report what they reported before the change;
 * the project's own `tsc --noEmit` (npm test) checks those. Checking the change alone costs a
 * fraction of a whole check of the program.
 */

/** What tsc reports, one line per diagnostic (`file(line,col): error TSnnnn: message`), and the files it checked. */
export interface ChangeCheck {
  readonly diagnostics: readonly string[];
  readonly checked: readonly string[];
}

const HOST: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' };

/** Type-checks the files `changed` (paths) of the project at `dir` and every file of it that imports them. */
export function typeCheckChange(dir: string, changed: readonly string[]): ChangeCheck {
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.formatDiagnostic(d, HOST));
    },
  })!;
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const ownFiles = program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes('/node_modules/'));
  // Who imports whom, resolved as the program resolves modules.
  const importers = new Map<string, string[]>();
  for (const sf of ownFiles) {
    for (const spec of ts.preProcessFile(sf.text, true, true).importedFiles) {
      const target = ts.resolveModuleName(spec.fileName, sf.fileName, config.options, ts.sys).resolvedModule?.resolvedFileName;
      if (target) importers.set(resolve(target), [...(importers.get(resolve(target)) ?? []), resolve(sf.fileName)]);
    }
  }
  const checked = new Set(changed.map((f) => resolve(f)));
  for (const file of checked) for (const importer of importers.get(file) ?? []) checked.add(importer);
  const files = [...checked].sort().map((f) => {
    const sf = program.getSourceFile(f);
    if (!sf) throw new Error(`${f} is not part of the program of ${dir}`);
    // A script (no import or export) or an ambient declaration would change the types of every file.
    if (!ts.isExternalModule(sf) || /^\s*declare\s+(global|module)\b/m.test(readFileSync(f, 'utf8'))) throw new Error(`${f} declares global types: check the whole program`);
    return sf;
  });
  const diagnostics = [
    ...config.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...files.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]),
  ];
  return { diagnostics: diagnostics.map((d) => ts.formatDiagnostic(d, HOST).trim()), checked: files.map((sf) => sf.fileName) };
}
