import { Construct } from 'constructs';
import { PersistentClaim, type AppLabels } from '../../lib/index.ts';
import type { ExportTree, MirrorConfig } from './model/index.ts';

/** Name of an export tree's claim: `mirror-<tree>-exports` (the seed's `<tree>-mirror-exports`, led by the release). */
export function exportClaimName(tree: Pick<ExportTree, 'name'>): string {
  return `mirror-${tree.name}-exports`;
}

/** The pod volume of an export tree. */
export function exportVolume(tree: Pick<ExportTree, 'name'>): { name: string; persistentVolumeClaim: { claimName: string } } {
  return { name: `exports-${tree.name}`, persistentVolumeClaim: { claimName: exportClaimName(tree) } };
}

/** Props of {@link ExportVolumes}. */
export interface ExportVolumesProps {
  readonly config: MirrorConfig;
  readonly labels: AppLabels;
}

/**
 * One volume per export tree (section 3.2: sized for the bundles, 20 GiB per tree), written by
 * the sync job and read by every gateway replica at once: ReadWriteMany, from the model's
 * StorageClass.
 */
export class ExportVolumes extends Construct {
  public readonly claims: readonly PersistentClaim[];

  public constructor(scope: Construct, id: string, props: ExportVolumesProps) {
    super(scope, id);
    const labels = props.labels.withComponent({ name: 'mirror-exports', component: 'storage' });
    this.claims = props.config.exports.map(
      (tree) =>
        new PersistentClaim(this, tree.name, {
          name: exportClaimName(tree),
          labels,
          size: tree.size,
          storageClassName: props.config.storage.storageClassName,
          accessMode: 'ReadWriteMany',
        }),
    );
  }
}
