// The database contract `npm run db:verify` checks a live database against:
// every table, column, enum value, primary key, unique constraint, index and
// foreign key the product relies on. Written out by hand on purpose: it is the
// operator's statement of what must be there, and the integration tests prove
// that the committed migrations produce exactly this.
//
// Column types are PostgreSQL type names (`udt_name`); a trailing `?` means
// nullable and a leading `_` an array (as PostgreSQL spells them).

export type TableSpec = {
  columns: Record<string, string>;
  primaryKey: string[];
  unique?: string[][];
  indexes?: string[][];
  foreignKeys?: { columns: string[]; references: { table: string; columns: string[] }; onDelete: OnDelete }[];
};

export type OnDelete = "CASCADE" | "RESTRICT" | "SET NULL" | "NO ACTION" | "SET DEFAULT";

export const EXPECTED_ENUMS: Record<string, string[]> = {
  CertificationStatus: ["PENDING", "QUEUED", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED"],
  CertificationJobType: ["SINGLE_MODEL", "MULTIPLE_MODELS", "ALL_MODELS", "RECERTIFY"],
  JobStatus: ["PENDING", "QUEUED", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED", "PAUSED"],
  ErrorCategory: [
    "NOT_OFFERED_IN_REGION",
    "INFERENCE_PROFILE_REQUIRED",
    "ACCESS_DENIED",
    "MODEL_END_OF_LIFE",
    "THROTTLED",
    "QUOTA_EXCEEDED",
    "MODEL_NOT_READY",
    "MODEL_TIMEOUT",
    "MODEL_ERROR",
    "SERVICE_UNAVAILABLE",
    "INVALID_REQUEST",
    "WRONG_ANSWER",
    "NETWORK",
    "TIMEOUT",
    "CANCELLED",
    "UNKNOWN",
  ],
  CertificationRating: ["EXCELLENT", "GOOD", "FAIR", "POOR", "FAILED"],
  ModelLifecycle: ["ACTIVE", "LEGACY"],
  RegionAvailability: ["IN_REGION", "PROFILE_ONLY", "NOT_OFFERED"],
  PairAvailability: ["IN_REGION", "PROFILE_ONLY", "NOT_OFFERED", "LEGACY", "UNSUPPORTED"],
  LegacyMigrationOutcome: ["MIGRATED", "REPLACED", "SUPERSEDED", "SKIPPED"],
};

const timestamps = { created_at: "timestamp", updated_at: "timestamp" };

// Columns shared by the current certification and each history run.
const certificationResult = {
  id: "text",
  model_id: "text",
  region: "text",
  passed: "bool?",
  score: "float8?",
  rating: "CertificationRating?",
  test_results: "jsonb?",
  error_message: "text?",
  error_category: "ErrorCategory?",
  availability: "PairAvailability?",
  job_id: "text?",
  started_at: "timestamp?",
  completed_at: "timestamp?",
  duration: "int4?",
  created_at: "timestamp",
  created_by: "text?",
};

const cellForeignKeys: TableSpec["foreignKeys"] = [
  { columns: ["model_id"], references: { table: "ai_models", columns: ["id"] }, onDelete: "CASCADE" },
  { columns: ["region"], references: { table: "regions", columns: ["code"] }, onDelete: "RESTRICT" },
  { columns: ["job_id"], references: { table: "certification_jobs", columns: ["id"] }, onDelete: "SET NULL" },
];

export const EXPECTED_TABLES: Record<string, TableSpec> = {
  ai_models: {
    columns: {
      id: "text",
      provider: "text",
      name: "text",
      bedrock_model_id: "text?",
      input_modalities: "_text?",
      output_modalities: "_text?",
      streaming: "bool?",
      lifecycle: "ModelLifecycle",
      enabled: "bool",
      ...timestamps,
    },
    primaryKey: ["id"],
    unique: [["bedrock_model_id"]],
    indexes: [["provider"]],
  },
  regions: {
    columns: {
      code: "text",
      name: "text",
      partition: "text",
      geography: "text",
      runtime_endpoint: "text?",
      enabled: "bool",
      catalog_synced_at: "timestamp?",
      ...timestamps,
    },
    primaryKey: ["code"],
  },
  model_region_availability: {
    columns: {
      model_id: "text",
      region: "text",
      availability: "RegionAvailability",
      legacy: "bool",
      profile_ids: "_text?",
      synced_at: "timestamp",
    },
    primaryKey: ["model_id", "region"],
    indexes: [["region", "availability"]],
    foreignKeys: [
      { columns: ["model_id"], references: { table: "ai_models", columns: ["id"] }, onDelete: "CASCADE" },
      { columns: ["region"], references: { table: "regions", columns: ["code"] }, onDelete: "CASCADE" },
    ],
  },
  model_certifications: {
    columns: {
      ...certificationResult,
      status: "CertificationStatus",
      updated_at: "timestamp",
      legacy_id: "int4?",
      // The cell's speeds and broken capabilities (migration cell_speed_columns).
      time_to_first_token_ms: "float8?",
      tokens_per_second: "float8?",
      latency_ms: "float8?",
      broken_capabilities: "text?",
    },
    primaryKey: ["id"],
    unique: [["model_id", "region"], ["legacy_id"]],
    indexes: [["status"], ["region"], ["job_id"], ["created_at"]],
    foreignKeys: cellForeignKeys,
  },
  certification_runs: {
    columns: { ...certificationResult, status: "CertificationStatus" },
    primaryKey: ["id"],
    indexes: [
      ["model_id", "region", "created_at"],
      ["job_id", "created_at"],
    ],
    foreignKeys: cellForeignKeys,
  },
  certification_jobs: {
    columns: {
      id: "text",
      type: "CertificationJobType",
      regions: "_text?",
      model_ids: "_text?",
      status: "JobStatus",
      total_models: "int4",
      processed_models: "int4",
      success_count: "int4",
      failure_count: "int4",
      bull_job_id: "text?",
      started_at: "timestamp?",
      completed_at: "timestamp?",
      duration: "int4?",
      config: "jsonb",
      ...timestamps,
      created_by: "text?",
      cancelled_count: "int4",
      idempotency_key: "text?",
      not_offered_count: "int4",
      profile_only_count: "int4",
      legacy_count: "int4",
      unsupported_count: "int4",
    },
    primaryKey: ["id"],
    unique: [["idempotency_key"]],
    indexes: [["status"], ["type"], ["bull_job_id"], ["created_at"]],
  },
  certification_job_pairs: {
    columns: {
      id: "text",
      job_id: "text",
      model_id: "text",
      region: "text",
      status: "CertificationStatus",
      round: "int4",
      attempts: "int4",
      passed: "bool?",
      availability: "PairAvailability?",
      run_id: "text?",
      worker_id: "text?",
      started_at: "timestamp?",
      completed_at: "timestamp?",
      ...timestamps,
    },
    primaryKey: ["id"],
    unique: [["job_id", "model_id", "region"]],
    indexes: [["job_id", "status"], ["status"]],
    foreignKeys: [{ columns: ["job_id"], references: { table: "certification_jobs", columns: ["id"] }, onDelete: "CASCADE" }],
  },
  model_certifications_legacy: {
    columns: {
      id: "int4",
      model_id: "text",
      status: "text",
      passed: "bool",
      score: "float8?",
      rating: "text?",
      test_results: "text?",
      error_message: "text?",
      certified_at: "timestamp?",
      ...timestamps,
      created_by: "text?",
    },
    primaryKey: ["id"],
    indexes: [["model_id"]],
  },
  legacy_migration_entries: {
    columns: {
      legacy_id: "int4",
      outcome: "LegacyMigrationOutcome",
      reason: "text?",
      certification_id: "text?",
      previous_state: "jsonb?",
      migrated_at: "timestamp",
    },
    primaryKey: ["legacy_id"],
    indexes: [["outcome"]],
    foreignKeys: [{ columns: ["legacy_id"], references: { table: "model_certifications_legacy", columns: ["id"] }, onDelete: "CASCADE" }],
  },
  users: {
    columns: {
      id: "text",
      name: "text",
      email: "text",
      email_verified: "bool",
      image: "text?",
      created_at: "timestamp",
      updated_at: "timestamp",
      role: "text?",
      banned: "bool?",
      ban_reason: "text?",
      ban_expires: "timestamp?",
    },
    primaryKey: ["id"],
    unique: [["email"]],
  },
  sessions: {
    columns: {
      id: "text",
      expires_at: "timestamp",
      token: "text",
      created_at: "timestamp",
      updated_at: "timestamp",
      ip_address: "text?",
      user_agent: "text?",
      user_id: "text",
      impersonated_by: "text?",
    },
    primaryKey: ["id"],
    unique: [["token"]],
    indexes: [["user_id"]],
    foreignKeys: [{ columns: ["user_id"], references: { table: "users", columns: ["id"] }, onDelete: "CASCADE" }],
  },
  api_keys: {
    columns: {
      id: "text",
      config_id: "text",
      name: "text?",
      start: "text?",
      reference_id: "text",
      prefix: "text?",
      key: "text",
      refill_interval: "int4?",
      refill_amount: "int4?",
      last_refill_at: "timestamp?",
      enabled: "bool?",
      rate_limit_enabled: "bool?",
      rate_limit_time_window: "int4?",
      rate_limit_max: "int4?",
      request_count: "int4?",
      remaining: "int4?",
      last_request: "timestamp?",
      expires_at: "timestamp?",
      created_at: "timestamp",
      updated_at: "timestamp",
      permissions: "text?",
      metadata: "text?",
    },
    primaryKey: ["id"],
    indexes: [["key"], ["reference_id"]],
  },
  audit_log: {
    columns: { id: "text", actor_id: "text", actor_email: "text", via: "text", action: "text", target: "text?", details: "jsonb?", ip: "text?", user_agent: "text?", created_at: "timestamp" },
    primaryKey: ["id"],
    indexes: [["created_at"], ["actor_id", "created_at"]],
  },
};
