export * from './cidr.ts';
export * from './cron-schedule.ts';
export * from './dns-name.ts';
export * from './duration.ts';
export * from './image-reference.ts';
export * from './quantity.ts';
export * from './re2-pattern.ts';
export * from './value-error.ts';
