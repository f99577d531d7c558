import { isMarker, STRING_MARKER, type Sentinels } from './sentinels.ts';

/*
 * Several charts rendered by one app: each chart's marker model (the environment's model with
 * the chart's values as markers) differs from the environment's model only where the chart put
 * its markers, so their differences go into one model, and one app renders every chart from it.
 * Without this, each chart builds the whole app once more, and the charts cost (charts) x (app).
 */

/** A marker in the combined model and the marker of the same place a chart put in its own model. */
export type AdoptedMarkers = ReadonlyMap<string | number, string | number>;

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * One model holding what each of `models` changed in `base`. Where two charts put markers at the
 * same place (the release's namespace, a network value several charts carry), the first chart's
 * marker stays and each later chart reads it as its own: `adopted[i]` maps it to chart i's
 * marker. Throws, naming the place, unless the combined model renders every chart as its own
 * model would ({@link reconcile}).
 */
export function combineMarkerModels<C>(base: C, models: readonly C[]): { model: C; adopted: AdoptedMarkers[] } {
  const model = models.reduce<unknown>((into, mine) => merge(into, base, mine), base);
  const adopted = models.map((mine) => {
    const adopt = new Map<string | number, string | number>();
    reconcile(model, mine, adopt, []);
    return adopt;
  });
  return { model: model as C, adopted };
}

/** `into` with what `mine` changed in `base`, where no earlier chart changed it first. */
function merge(into: unknown, base: unknown, mine: unknown): unknown {
  if (same(mine, base)) return into;
  if (isTree(mine) && isTree(base) && isTree(into)) {
    const out: Tree = { ...into };
    for (const k of new Set([...Object.keys(base), ...Object.keys(mine)])) {
      const merged = merge(into[k], base[k], mine[k]);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
    return out;
  }
  return same(into, base) ? mine : into;
}

/**
 * Records in `adopt` the markers of the combined model that stand for a chart's own, and throws
 * unless the combined model renders the chart as its own model would: where they differ, the
 * combined one holds a marker (a list's one item for a list), the chart's own marker there being
 * adopted, or another chart's where the chart kept the environment's value (its objects reading
 * it are found by foreignMarkers). A plain value another chart changed (a feature one chart
 * switches on) would change this chart's objects unseen.
 */
function reconcile(combined: unknown, mine: unknown, adopt: Map<string | number, string | number>, path: readonly string[]): void {
  if (same(combined, mine)) return;
  if (isTree(combined) && isTree(mine)) {
    for (const k of new Set([...Object.keys(combined), ...Object.keys(mine)])) reconcile(combined[k], mine[k], adopt, [...path, k]);
    return;
  }
  if (Array.isArray(combined) && Array.isArray(mine) && combined.length === mine.length) {
    combined.forEach((c, i) => reconcile(c, mine[i], adopt, [...path, String(i)]));
    return;
  }
  const marker = (v: unknown): string | number | undefined => (isMarker(v) ? v : Array.isArray(v) && v.length === 1 && isMarker(v[0]) ? v[0] : undefined);
  const theirs = marker(combined);
  const own = marker(mine);
  if (theirs !== undefined && own === undefined) return;
  if (theirs !== undefined && own !== undefined && typeof theirs === typeof own) {
    adopt.set(theirs, own);
    return;
  }
  throw new Error(`two charts render the model at ${path.join('.')} differently (${JSON.stringify(combined)} in one, ${JSON.stringify(mine)} in another): they cannot share one app`);
}

/** `value` with each adopted marker replaced by the chart's own. */
export function ownMarkers<T>(value: T, adopted: AdoptedMarkers): T {
  if (adopted.size === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(STRING_MARKER, (m) => String(adopted.get(m) ?? m));
    if (typeof v === 'number') return adopted.get(v) ?? v;
    if (Array.isArray(v)) return v.map(walk);
    if (isTree(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/**
 * The markers in `value` (a chart's objects) that `own` did not make (any string marker; a number
 * another of `others` made): each a value of another chart that this chart's objects read. Such an object cannot be templated from this chart's
 * values; each problem names the object path and, when `others` made it, its expression.
 */
export function foreignMarkers(value: unknown, own: Sentinels, others: readonly Sentinels[]): string[] {
  const problems: string[] = [];
  const expression = (m: string | number): string => {
    for (const s of others) {
      const e = typeof m === 'string' ? s.stringMarkers().get(m) : s.numberMarkers().get(m);
      if (e !== undefined) return e;
    }
    return 'an unknown marker';
  };
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') {
      for (const [m] of v.matchAll(STRING_MARKER)) if (!own.owns(m)) problems.push(`${path}: reads ${expression(m)} of another chart`);
    } else if (typeof v === 'number' && !own.owns(v) && others.some((s) => s.owns(v))) {
      // A number is a marker only if a chart made it: a model's own number may fall in their range.
      problems.push(`${path}: reads ${expression(v)} of another chart`);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
    } else if (isTree(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    }
  };
  walk(value, '');
  return problems;
}
