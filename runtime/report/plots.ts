/** The requested plots as HTML figures (inline SVG), or a short note where there is nothing to draw. */
import { PLOT_NAMES, type PlotName, type ReportData } from "./data.js";
import { barPlot } from "./svg/bars.js";
import { linePlot } from "./svg/lines.js";
import { escapeHtml } from "./text.js";

interface PlotText { caption: string; empty: string }

const TEXT: Readonly<Record<PlotName, PlotText>> = {
  pretrain_loss: { caption: "Pretraining loss", empty: "No pretraining in this run." },
  pretrain_lr: { caption: "Learning rate", empty: "No pretraining in this run." },
  eval_scores: { caption: "Evaluation scores", empty: "No evaluation scores in this run." },
};

function svgFor(plot: PlotName, data: ReportData): string | null {
  switch (plot) {
    case "pretrain_loss":
      return linePlot(data.pretraining, { plot, title: "SwAV loss against training step", yLabel: "loss", y: (p) => p.loss, collapseLine: true });
    case "pretrain_lr":
      return linePlot(data.pretraining, { plot, title: "Learning rate against training step", yLabel: "learning rate", y: (p) => p.lr, collapseLine: false });
    case "eval_scores":
      return barPlot(data.suite);
  }
}

/** One `<figure>` per requested plot, in the canonical order, each listed once. */
export function renderPlots(data: ReportData): string {
  const wanted = new Set(data.plots);
  return PLOT_NAMES.filter((p) => wanted.has(p))
    .map((plot) => {
      const t = TEXT[plot];
      const svg = svgFor(plot, data);
      const content = svg ? `<div class="scroll">${svg}</div>` : `<p class="note" data-plot-empty="${plot}">${escapeHtml(t.empty)}</p>`;
      return `<figure class="plot" id="plot-${plot}">\n<figcaption>${escapeHtml(t.caption)}</figcaption>\n${content}\n</figure>`;
    })
    .join("\n");
}
