/** Reports: the suite table, pretraining and score plots and the run's provenance, as HTML, Markdown and JSON. */
export { PLOT_NAMES, type PlotName, type PretrainPoint, type ReportCell, type ReportData } from "./data.js";
export { renderHtml } from "./render-html.js";
export { renderMarkdown } from "./render-markdown.js";
export { renderJson } from "./render-json.js";
export { writeReport, type ReportFiles } from "./write.js";
