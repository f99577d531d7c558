import type { BurnRateRunbookText, Runbook } from '../../../observability/index.ts';

const ONCALL = 'Page the platform on-call (PagerDuty) if not already paged; after 30 minutes without progress involve the CIN maintainers.';

/** R1-R5 of spec section 13. */
export const SPEC_RUNBOOKS: readonly Runbook[] = [
  {
    name: 'r1-snapshot-stale',
    title: 'R1: Snapshot Stale',
    meaning: 'A language index has not published a snapshot for more than 1800 seconds (`snapshot_age_seconds > 1800`).',
    impact: 'Search results of that language lag behind the chain; the freshness SLO (900 s) is being breached.',
    diagnosis: [
      'Check `ingest_lag_seconds`. If it is high, inspect the RPC provider health.',
      'Check IPFS gateway errors (`ipfs_fetch_ms`, CIN logs in Loki by `x-req-id`).',
      'Check `preview_mismatch_total` for renderer mismatch errors.',
    ],
    mitigation: [
      'Fail over to an alternate IPFS gateway.',
      'Manually trigger `cin snapshot --lang <L>`.',
      'If renderer mismatch errors rise, roll back the renderer version.',
    ],
    escalation: ONCALL,
  },
  {
    name: 'r2-elevated-5xx-at-edge',
    title: 'R2: Elevated 5xx at Edge',
    meaning: 'More than 5% of the requests answered by the Envoy edge fail with a 5xx status.',
    impact: 'Users see errors; the availability SLO (99.9%) error budget burns fast.',
    diagnosis: [
      'Check Envoy upstream health (`envoy_cluster_upstream_rq_xx` by `envoy_cluster_name`).',
      'Look for CIN pod OOM kills or CPU throttling.',
      'Check index volume disk IOPS.',
    ],
    mitigation: ['Scale CIN (add replicas to the affected language).', 'Enable the read-only mode banner on the frontend if needed.'],
    escalation: ONCALL,
  },
  {
    name: 'r3-pinning-timeouts',
    title: 'R3: Pinning Timeouts',
    meaning: 'More than 20% of the orchestrator pin jobs end in a timeout.',
    impact: 'New content is not pinned with the required number of acknowledgements; it may become unavailable.',
    diagnosis: ['Check the PSA status pages.', 'Compare `backend_latency_ms` and `backend_errors_total` by backend.'],
    mitigation: [
      'Reroute to an alternate PSA.',
      'Reduce `requireAcks` temporarily (DAO decision), on staging only.',
      'Run the orchestrator repair after recovery.',
    ],
    escalation: 'Page the platform on-call; contact the failing PSA provider support.',
  },
  {
    name: 'r4-watcher-attest-failures',
    title: 'R4: Watcher Attest Failures',
    meaning: 'Watcher attestation transactions fail (`attest_*_submissions_total{status="failed"}` rising).',
    impact: 'Uptime and freshness attestations are missing on chain; node rewards for the epoch may be wrong.',
    diagnosis: ['Inspect watcher logs for TLS errors.', 'Verify the allowlist keys in the watcher config.'],
    mitigation: ['Reissue signatures if the epochId mismatches (misconfigured epoch length).'],
    escalation: 'Open a P2 with the watcher maintainers; involve the DAO committee if the epoch must be corrected.',
  },
  {
    name: 'r5-index-discrepancy',
    title: 'R5: Suspected Index Discrepancy Across Nodes',
    meaning: 'Nodes disagree about the index (`quorum_fail_total` rising, or users report different results).',
    impact: 'Search results differ between nodes; the quorum cannot confirm snapshot roots.',
    diagnosis: [
      'Use the SDK "quorum differences" endpoint on the UI to list mismatched CIDs.',
      'Fetch the snapshot roots and compare `paramsHash`.',
    ],
    mitigation: ['Roll back the node with the divergent analyzer version.'],
    escalation: ONCALL,
  },
];

/** Runbooks of the alerts the spec gives no playbook for. */
export const ALERT_RUNBOOKS: readonly Runbook[] = [
  {
    name: 'search-latency-high',
    title: 'SearchLatencyHigh',
    meaning: 'The 95th percentile of CIN query latency has stayed above 1.5 s for 15 minutes.',
    impact: 'Searches are slow for users; the read latency SLO (p95 <= 400 ms) is far out.',
    diagnosis: [
      'Open the CIN Overview dashboard: which ranker (`cin_query_latency_ms` by `ranker`) is slow?',
      'Check CPU throttling and memory of the CIN pods, and the request rate against the capacity plan (~200 RPS per node).',
    ],
    mitigation: ['Scale out the affected language.', 'Rate-limit abusive clients at the edge.'],
    escalation: ONCALL,
  },
  {
    name: 'index-volume-usage-high',
    title: 'IndexVolumeUsageHigh',
    meaning: 'A CIN index volume is more than 80% full.',
    impact: 'When full, the node cannot write index segments or snapshots and goes stale (R1).',
    diagnosis: ['Check `kubelet_volume_stats_used_bytes` growth for the claim.', 'Look for leftover snapshot or cache files.'],
    mitigation: ['Expand the PersistentVolumeClaim (storage class permitting).', 'Raise the language\'s `storage` in the model and synth.'],
    escalation: 'Page the platform on-call (P2).',
  },
  {
    name: 'certificate-expiring-soon',
    title: 'CertificateExpiringSoon',
    meaning: 'A cert-manager Certificate expires in less than 7 days: renewal has failed.',
    impact: 'When it expires, clients refuse the edge TLS handshake and the platform is down.',
    diagnosis: ['`kubectl describe certificate <name>` and its CertificateRequest.', 'Check the ACME DNS-01 challenge and the ClusterIssuer status.'],
    mitigation: ['Fix the issuer credentials or DNS, then `cmctl renew <name>`.'],
    escalation: 'Post in the platform channel (P3); page if it is under 48 hours.',
  },
];

/** The escalation and threshold runbooks of Crumpet's burn-rate runbooks. */
export const BURN_RATE_RUNBOOK_TEXT: BurnRateRunbookText = { escalation: ONCALL, thresholdRunbooks: 'R1, R2 or SearchLatencyHigh' };
