import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, readTree } from '../_helpers.ts';

/*
 * Generated files are text that diffs as text: no control byte (NUL, ESC, ...) but tab, line feed
 * and carriage return anywhere in the committed outputs, or git shows "Binary files differ".
 */

const ROOTS = ['dist', 'ops', 'charts-out', 'imports'];

/** The control bytes of `bytes`, as `offset: 0xNN`. */
function controlBytes(bytes: Buffer): string[] {
  const found: string[] = [];
  bytes.forEach((b, i) => {
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) found.push(`${i}: 0x${b.toString(16).padStart(2, '0')}`);
  });
  return found;
}

describe('Generated files |', () => {
  it.each(ROOTS)('GIVEN every committed file under %s/ THEN it holds no control byte', (root) => {
    const files = readTree(join(PROJECT_ROOT, root));
    expect(files.size).toBeGreaterThan(0);
    const offenders = [...files].flatMap(([path, bytes]) => controlBytes(bytes).slice(0, 3).map((b) => `${root}/${path} at ${b}`));
    expect(offenders).toEqual([]);
  });

  it('GIVEN the charts\' checksum helper THEN it writes the separator as the escape Go\'s template parser reads as NUL', () => {
    const helpers = readFileSync(join(PROJECT_ROOT, 'charts-out/web/templates/_helpers.tpl'), 'utf8');
    expect(helpers).toContain('printf "%s%s\\x00%s\\x00" $s $k $v');
    expect(controlBytes(Buffer.from('a\0b'))).toEqual(['1: 0x00']);
  });
});
