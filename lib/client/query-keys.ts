// Every TanStack Query key of the console, in one place: a page that changes
// something invalidates exactly what other pages read.
export const queryKeys = {
  grid: ["matrix-grid"] as const,
  cell: (modelId: string, region: string) => ["cell", modelId, region] as const,
  jobs: (params: string) => ["jobs", params] as const,
  job: (jobId: string) => ["job", jobId] as const,
  jobOverview: (jobId: string) => ["job-overview", jobId] as const,
  jobPairs: (jobId: string) => ["job-pairs", jobId] as const,
  jobPreview: (input: unknown) => ["job-preview", input] as const,
  models: ["models"] as const,
  model: (modelId: string) => ["model", modelId] as const,
  modelHistory: (modelId: string) => ["model-history", modelId] as const,
  regions: ["regions"] as const,
  audit: ["audit"] as const,
  apiTokens: ["api-tokens"] as const,
  health: ["health"] as const,
};
