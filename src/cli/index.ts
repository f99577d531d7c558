export * from './check-command.ts';
export * from './diff-command.ts';
export * from './parse-args.ts';
export * from './synth-command.ts';
