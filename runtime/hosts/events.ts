/** Following a worker's event stream (stdout lines, or the new part of an events file). */
import { jsonLine, toEvent, type JobResult } from "./job.js";
import type { StageRun } from "./host.js";

/** Splits a stream into lines; a trailing partial line waits for the next chunk. */
export class LineBuffer {
  private rest = "";

  push(chunk: string): string[] {
    const lines = (this.rest + chunk).split("\n");
    this.rest = lines.pop() ?? "";
    return lines;
  }

  end(): string[] {
    const last = this.rest;
    this.rest = "";
    return last ? [last] : [];
  }
}

/** One job's events: log lines and progress go to the stage, the result is kept. Other lines are logged as they are. */
export class EventFollower {
  private readonly lines = new LineBuffer();
  result: JobResult | undefined;

  constructor(private readonly job: Pick<StageRun, "log" | "progress">) {}

  push(chunk: string): void {
    for (const line of this.lines.push(chunk)) this.handle(line);
  }

  end(): void {
    for (const line of this.lines.end()) this.handle(line);
  }

  /** One line; `json`: the line as jsonLine read it, when the caller has read it already. */
  handle(line: string, json: unknown = jsonLine(line.trim())): void {
    const e = toEvent(json);
    if (!e) {
      if (line.trim()) this.job.log(line.trim());
      return;
    }
    if (e.event === "log") this.job.log(e.line);
    else if (e.event === "progress") this.job.progress(e.fraction, e.text);
    else this.result = e.result;
  }
}
