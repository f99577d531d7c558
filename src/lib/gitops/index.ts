export * from './argo-cd-application.ts';
export * from './gitops-settings.ts';
export * from './sync-waves.ts';
