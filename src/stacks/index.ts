import type { Stack } from '../render/index.ts';
import { crumpetStack } from './crumpet/stack.ts';
import { mirrorStack } from './mirror/stack.ts';
import { stemedbStack } from './stemedb/stack.ts';

/**
 * Every stack the synth renders, in output order. A stack is a folder of its own composing the
 * library; registering it here is the one edit outside it.
 */
export const STACKS: readonly Stack<unknown>[] = [crumpetStack as Stack<unknown>, stemedbStack as Stack<unknown>, mirrorStack as Stack<unknown>];
