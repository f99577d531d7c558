/**
 * The Git repository this project's outputs are committed to, which every stack's environments
 * deploy from (their model's `gitops.repoURL`). Argo CD needs read access to it.
 */
export const PLATFORM_REPOSITORY = 'https://git.example.org/platform/crumpet-platform.git';

/**
 * The committed outputs as people browse them: the repository's files on `main`. Links that
 * leave the cluster (alerts' `runbook_url`) point below it, so a notification opens the runbook
 * of the version deployed from `main`.
 */
export const PLATFORM_FILES_URL = `${PLATFORM_REPOSITORY.replace(/\.git$/, '')}/blob/main`;
