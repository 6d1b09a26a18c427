/**
 * A pool of data worker threads running tasks from one FIFO queue. Workers hold the
 * process open only while they have work (ref/unref), so a forgotten `close()` never
 * hangs the process; `close()` lets running tasks finish, then ends the threads.
 */
import { Worker } from "node:worker_threads";
import type { Problem } from "./errors.js";
import type { FromWorker, TaskMessage, WorkerInit } from "./protocol.js";

type TaskBody = Omit<TaskMessage, "type" | "task">;

interface Queued {
  readonly msg: TaskMessage;
  readonly tag: number;
  readonly resolve: (p: Problem[]) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  current: Queued | null;
  /** Settles when the thread has exited. */
  readonly exited: Promise<void>;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Queued[] = [];
  private nextTask = 0;
  private failure: Error | null = null;
  private closing = false;
  private closed: Promise<void> | null = null;

  constructor(size: number, init: WorkerInit, url: URL) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(url, { workerData: init });
      const slot: Slot = { worker, current: null, exited: new Promise<void>((resolve) => worker.once("exit", () => resolve())) };
      worker.unref();
      worker.on("message", (m: FromWorker) => this.onMessage(slot, m));
      worker.on("error", (e: Error) => this.fail(new Error(`data worker ${i} failed: ${e.message}`)));
      worker.on("exit", (code) => {
        if (!this.closing) this.fail(new Error(`data worker ${i} exited unexpectedly (code ${code})`));
      });
      this.slots.push(slot);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  /** Queues a task; `tag` groups tasks for `cancel`. */
  run(body: TaskBody, tag = 0): Promise<Problem[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error("data loader is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ msg: { type: "task", task: this.nextTask++, ...body }, tag, resolve, reject });
      this.pump();
    });
  }

  /** Drops queued (not yet started) tasks with this tag; their promises reject. */
  cancel(tag: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const q = this.queue[i]!;
      if (q.tag === tag) {
        this.queue.splice(i, 1);
        q.reject(new Error("cancelled"));
      }
    }
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.current || this.queue.length === 0) continue;
      const q = this.queue.shift()!;
      slot.current = q;
      slot.worker.ref();
      slot.worker.postMessage(q.msg);
    }
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const q = slot.current;
    if (!q || q.msg.task !== m.task) return;
    slot.current = null;
    slot.worker.unref();
    if (m.type === "done") q.resolve([...m.problems]);
    else q.reject(new Error(m.message));
    this.pump();
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const s of this.slots) {
      s.current?.reject(e);
      s.current = null;
    }
    for (const q of this.queue.splice(0)) q.reject(e);
    void this.close();
  }

  /** Waits for running tasks, then ends every worker (terminating any that do not exit within `graceMs`). */
  close(graceMs = 5000): Promise<void> {
    if (this.closed) return this.closed;
    this.closing = true;
    for (const q of this.queue.splice(0)) q.reject(new Error("data loader closed"));
    this.closed = Promise.all(
      this.slots.map(async ({ worker, exited }) => {
        worker.ref();
        worker.postMessage({ type: "close" });
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), graceMs)));
        if ((await Promise.race([exited, timeout])) === "timeout") await worker.terminate();
        clearTimeout(timer);
      }),
    ).then(() => undefined);
    return this.closed;
  }
}
