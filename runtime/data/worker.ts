/**
 * A data worker: generates or decodes images and writes augmented crops straight into
 * the batch's shared buffers (see protocol.ts). Runs until told to close.
 */
import { parentPort, workerData } from "node:worker_threads";
import { TaskRunner, type FromWorker, type ToWorker, type WorkerInit } from "./protocol.js";

if (!parentPort) throw new Error("worker.ts runs only as a worker thread");
const port = parentPort;
const runner = new TaskRunner(workerData as WorkerInit);

// Tasks run one at a time, in arrival order.
let chain: Promise<void> = Promise.resolve();
port.on("message", (msg: ToWorker) => {
  if (msg.type === "close") {
    chain = chain.then(() => port.close());
    return;
  }
  chain = chain.then(async () => {
    let reply: FromWorker;
    try {
      reply = { type: "done", task: msg.task, problems: await runner.run(msg) };
    } catch (e) {
      reply = { type: "error", task: msg.task, message: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  });
});
