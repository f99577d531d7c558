export * from './image-reference.ts';
export * from './quantity.ts';
