import { createHash } from 'node:crypto';
import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { AppLabels } from './labels.ts';
import { typedApiObject } from './_api-object.ts';

/** A ConfigMap and the checksum of its data, for a pod annotation that rolls pods on change. */
export interface ConfigFiles {
  readonly configMap: ApiObject;
  readonly name: string;
  readonly checksum: string;
}

/**
 * The checksum of a ConfigMap's data: sha256 over "key NUL content NUL" for each key in order.
 * The Helm charts recompute it with their `<chart>.configChecksum` helper.
 */
export function configChecksum(files: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(files).sort()) hash.update(`${key}\u0000${files[key]}\u0000`);
  return hash.digest('hex');
}

/**
 * The checksum of a pod that mounts several ConfigMaps, from theirs by ConfigMap name: sha256
 * over them in name order; a single ConfigMap's own checksum.
 */
export function combinedChecksum(byName: Readonly<Record<string, string>>): string {
  const sums = Object.keys(byName).sort().map((name) => byName[name]!);
  return sums.length === 1 ? sums[0]! : createHash('sha256').update(sums.join('')).digest('hex');
}

/** Renders `files` into a ConfigMap; the checksum covers names and contents in a fixed order. */
export function configFiles(scope: Construct, id: string, name: string, labels: AppLabels, files: Readonly<Record<string, string>>): ConfigFiles {
  const configMap = typedApiObject<IConfigMap>(scope, id, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { ...labels.all } },
    data: { ...files },
  });
  return { configMap, name, checksum: configChecksum(files) };
}
