import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ComponentRegistry, settingsKey } from '../../src/lib/index.ts';
import { STACKS } from '../../src/stacks/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The folders that make up the library: no stack of their own, only building blocks. */
const LIBRARY = ['src/lib', 'src/observability', 'src/render', 'src/config', 'src/cli'];


function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The file's code without its comments (as the TypeScript printer writes it). */
function code(file: string): string {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return ts.createPrinter({ removeComments: true }).printFile(source);
}

/**
 * What would tie the library to a registered stack: each stack's name and its components' names,
 * as they appear in code (kebab-case, and the camelCase of model keys). Components are found the
 * way the stacks load them, from `src/stacks/<stack>/components/`.
 */
async function stackNames(): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const stack of STACKS) {
    names.set(stack.name, `stack ${stack.name}`);
    const registry = await ComponentRegistry.load(new URL(`../../src/stacks/${stack.name}/components/`, import.meta.url));
    for (const c of registry.components) {
      names.set(c.name, `component ${c.name} of stack ${stack.name}`);
      names.set(settingsKey(c.name), `component ${c.name} of stack ${stack.name}`);
    }
  }
  return names;
}

/** Whole-word occurrences: `cin-node` matches in `'cin-node-en'` but `web` not in `webhook`. */
function mentions(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`, 'i').test(text);
}

describe('Library |', () => {
  it('GIVEN the registered stacks WHEN the library code is searched THEN it names no stack and no stack component', async () => {
    // GIVEN
    const names = await stackNames();
    // WHEN
    const found = LIBRARY.flatMap(sources).flatMap((file) => {
      const text = code(file);
      return [...names].filter(([name]) => mentions(text, name)).map(([name, what]) => `${file}: "${name}" (${what})`);
    });
    // THEN
    expect(found).toEqual([]);
  });
});
