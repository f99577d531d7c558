import { ApiObject, type ApiObjectProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';

/**
 * An ApiObject whose body is type-checked against the kubernetes-models interface of its kind
 * (`IDeployment`, `IService`, ...), so a misspelled field fails at compile time.
 */
export function typedApiObject<T extends { apiVersion: string; kind: string; metadata?: IObjectMeta }>(
  scope: Construct,
  id: string,
  body: T,
): ApiObject {
  return new ApiObject(scope, id, body as unknown as ApiObjectProps);
}
