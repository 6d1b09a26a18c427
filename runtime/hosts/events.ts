/** Following a worker's event stream (stdout lines, or the new part of an events file). */
import { parseEvent, type JobResult } from "./job.js";
import type { StageRun } from "./host.js";

export class EventFollower {
  private rest = "";
  result: JobResult | undefined;

  constructor(private readonly job: Pick<StageRun, "log" | "progress">) {}

  /** Feeds a chunk of text; complete lines are handled, a trailing partial line waits for the next chunk. */
  push(chunk: string): void {
    const text = this.rest + chunk;
    const lines = text.split("\n");
    this.rest = lines.pop() ?? "";
    for (const line of lines) this.line(line);
  }

  /** Handles what is left when the stream ends. */
  end(): void {
    if (this.rest) this.line(this.rest);
    this.rest = "";
  }

  private line(line: string): void {
    const e = parseEvent(line.trim());
    if (!e) {
      if (line.trim()) this.job.log(line.trim());
      return;
    }
    if (e.event === "log") this.job.log(e.line);
    else if (e.event === "progress") this.job.progress(e.fraction, e.text);
    else this.result = e.result;
  }
}
