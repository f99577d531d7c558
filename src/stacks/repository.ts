/**
 * The Git repository this project's outputs are committed to, which every stack's environments
 * deploy from (their model's `gitops.repoURL`). Argo CD needs read access to it.
 */
export const PLATFORM_REPOSITORY = 'https://git.example.org/platform/crumpet-platform.git';
