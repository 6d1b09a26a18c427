/** The torch worker's JSON-lines events (engines/torch/seer_torch/worker/events.py), read defensively. */

export type WorkerEvent =
  | { event: "log"; text: string }
  | { event: "progress"; step: number; total: number }
  | { event: "done"; result: Record<string, unknown> }
  | { event: "error"; category: "data" | "environment" | "spec" | "internal"; message: string; rank: number; host: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const CATEGORIES = ["data", "environment", "spec", "internal"] as const;
type Category = (typeof CATEGORIES)[number];
const isCategory = (v: unknown): v is Category => typeof v === "string" && (CATEGORIES as readonly string[]).includes(v);

/** One stdout line as an event, or null for anything else (a stray print is passed on as text by the caller). */
export function parseEvent(line: string): WorkerEvent | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isRecord(v)) return null;
  switch (v["event"]) {
    case "log":
      return typeof v["text"] === "string" ? { event: "log", text: v["text"] } : null;
    case "progress":
      return typeof v["step"] === "number" && typeof v["total"] === "number" ? { event: "progress", step: v["step"], total: v["total"] } : null;
    case "done":
      return isRecord(v["result"]) ? { event: "done", result: v["result"] } : null;
    case "error": {
      const category = v["category"];
      if (!isCategory(category) || typeof v["message"] !== "string") return null;
      return { event: "error", category, message: v["message"], rank: typeof v["rank"] === "number" ? v["rank"] : -1, host: typeof v["host"] === "string" ? v["host"] : "?" };
    }
    default:
      return null;
  }
}
