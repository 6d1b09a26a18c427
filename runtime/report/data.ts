/**
 * What a report is rendered from: the suite's scores, the pretraining curves and the run's
 * provenance. Plain data (JSON-serialisable), filled in by `seer run`; every renderer in this
 * folder is a pure function of it.
 */

export type PlotName = "pretrain_loss" | "pretrain_lr" | "eval_scores";

/** The plots a report may ask for, in the order they are rendered. */
export const PLOT_NAMES: readonly PlotName[] = ["pretrain_loss", "pretrain_lr", "eval_scores"];

export interface ReportCell { value: number; config: string /* eval config hash, "sha256:..." */ }

export interface PretrainPoint { step: number; loss: number; lr: number }

export interface ReportData {
  name: string;                 // report declaration name, e.g. "summary"
  recipe: string;               // recipe path as given, e.g. "recipes/quickstart.seer"
  runId: string;
  created: string;              // ISO timestamp
  plots: readonly PlotName[];
  suite: {
    name: string;
    rows: readonly string[];    // features rows, e.g. "swav_tiny.pool", "random_init(tiny).pool"
    metrics: readonly string[]; // "linear.top1", "fair.group.gap", "shift.shapes_shifted.test.drop" ... (percent, 0-100)
    cells: Readonly<Record<string, Readonly<Record<string, ReportCell>>>>; // row -> metric -> cell (a cell may be missing)
  };
  pretraining: readonly {
    name: string;
    points: readonly PretrainPoint[];
    collapse?: boolean;
    /** The loss of a collapsed model (ln K for K prototypes); drawn as a dashed line. */
    collapseLoss?: number;
  }[];
  provenance: {
    seer: string; node: string; tfjs: string; backend: string;
    /** The torch version, when the torch engine ran a stage. */
    torch?: string;
    git: { commit: string; dirty: boolean } | null;
    stages: readonly { name: string; kind: string; engine?: string; id: string; status: "ran" | "cached" | "failed" | "skipped"; seconds: number; host: string }[];
    datasets: readonly { name: string; fingerprint: string }[];
  };
}

export type Pretraining = ReportData["pretraining"][number];
export type Provenance = ReportData["provenance"];
