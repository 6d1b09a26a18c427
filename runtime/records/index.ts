/**
 * Run records: writing and reading them (`store.ts`), listing runs (`list.ts`), comparing
 * two runs (`diff.ts`) and recorded vs fresh metrics (`compare.ts`). See docs/records.md.
 */
export { RECORD_FILES, RECORD_FORMAT, RECORD_VERSION, type Metrics, type RecipeSource, type RunRecord, type StageRecord } from "./record.js";
export { RECORD_SCHEMA } from "./schema.js";
export { RecordError } from "./errors.js";
export { readRecord, recordFile, writeRecord } from "./store.js";
export { sourceSha256, validateRecord } from "./validate.js";
export { gitInfo, type GitInfo } from "./git.js";
export { newRunId, runIdTime } from "./run-id.js";
export { listRuns, summarizeRecord, type Headline, type RunListStatus, type RunSummary } from "./list.js";
export { locateRun, type Located } from "./locate.js";
export { diffRecords, type KeyChange, type MetricChange, type RecordDiff, type StageChange } from "./diff.js";
export { renderDiff, type DiffFormat } from "./render-diff.js";
export { renderRuns } from "./render-runs.js";
export { compareMetrics, renderComparison, toleranceFor, type Comparison, type ComparisonRow, type Tolerance } from "./compare.js";
