import { describe, expect, it } from 'vitest';
import { runSynth, type Io } from '../../../src/cli/index.ts';
import { ConfigError, listEnvironments } from '../../../src/config/index.ts';
import { loadEnvironment, MIRROR_MODEL, SYNC_SETTINGS_IMAGE_PATH } from './_mirror.ts';
import { tempDir } from '../../_helpers.ts';

/*
 * The mirror's model: its environments load, and bad input fails synth with one line per problem
 * naming the environment and the field path.
 */

async function synth(args: readonly string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const io: Io = { out: () => undefined, err: (l) => err.push(l) };
  const code = await runSynth(['--out', tempDir('mirror'), '--stack', 'mirror', ...args], io);
  return { code, err: err.join('\n') };
}

/** The problems of an environment loaded with `sets`, as ConfigError lines. */
async function problems(env: string, ...sets: string[]): Promise<string[]> {
  try {
    await loadEnvironment(env, { files: [], sets });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message.split('\n');
  }
}

describe('Mirror model |', () => {
  it.each(listEnvironments(MIRROR_MODEL.environmentsDir))('GIVEN environments/%s.ts THEN it loads, its sync image pinned by digest', async (env) => {
    const config = await loadEnvironment(env);
    expect(config.components.mirrorSync.image).toMatch(/@sha256:[a-f0-9]{64}$/);
  });

  it('GIVEN a tag-only sync image WHEN synth runs THEN it fails with one line naming the environment and the field path', async () => {
    const tagOnly = 'public.ecr.aws/aws-cli/aws-cli:2.17.0';
    const run = await synth(['--env', 'prod', '--set', `${SYNC_SETTINGS_IMAGE_PATH}=${tagOnly}`]);
    expect(run.code).not.toBe(0);
    const lines = run.err.split('\n').filter((l) => l.startsWith('['));
    expect(lines).toEqual([`[mirror/prod] config ${SYNC_SETTINGS_IMAGE_PATH}: must be pinned by digest (<repository>@sha256:<64 hex digits>), got "${tagOnly}"`]);
    expect(run.err).not.toMatch(/\n\s+at /);
  });

  it('GIVEN a tag and a digest THEN the sync image is accepted (the digest pins it)', async () => {
    const { image } = (await loadEnvironment('prod')).components.mirrorSync;
    const [repository, digest] = image.split('@');
    expect(await problems('prod', `${SYNC_SETTINGS_IMAGE_PATH}=${repository}:2.17.0@${digest}`)).toEqual([]);
  });

  it.each([
    ['sync.maxLagMinutes=10', /^\[prod\] config sync\.maxLagMinutes: must exceed two sync periods \(10 minutes\), or one slow run pages, got 10$/],
    ['sync.everyMinutes=7', /^\[prod\] config sync\.everyMinutes: must divide the hour .*got 7$/],
    ['domains[0].maxDownloadRequestsPerHour=1000', /^\[prod\] config domains\[0\]\.maxDownloadRequestsPerHour: must be a multiple of 60 .*got 1000$/],
    ['domains[1].host=mirror-primary.stella-ops.org', /^\[prod\] config domains\[1\]\.host: duplicate host "mirror-primary\.stella-ops\.org" \(already at domains\[0\]\.host\)$/],
    ['network.upstreamCidrs[0]=203.0.113.0/33', /^\[prod\] config network\.upstreamCidrs\[0\]: must be an IPv4 or IPv6 network/],
    ['network.upstreamCidrs[0]=0.0.0.0/0', /^\[prod\] config network\.upstreamCidrs\[0\]: must be an IPv4 or IPv6 network .*narrower than every address/],
    ['domains[1].host=198.51.100.7', /^\[prod\] config domains\[1\]\.host: must be a host name .*not an IP address/],
    ['exports[0].indexPattern=^/a**$', /^\[prod\] config exports\[0\]\.indexPattern: is not a regular expression nginx accepts, got "\^\/a\*\*\$": Nothing to repeat$/],
    ['exports[0].indexPattern=^/exports/[index$', /^\[prod\] config exports\[0\]\.indexPattern: is not a regular expression nginx accepts, .*: Unterminated character class$/],
  ])('GIVEN --set %s THEN loading fails naming the field', async (set, message) => {
    const lines = await problems('prod', set);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('GIVEN the model THEN its name places the precompiled validator', () => {
    expect(MIRROR_MODEL.name).toBe('mirror');
  });
});
