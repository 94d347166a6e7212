/** @module One request before the load: every target must give the same, correct answer, or its figures mean nothing. */
import { Agent, request } from "node:http";
import type { Workload } from "../workloads.js";

/** Sends the workload's request once; throws naming the target unless it gets 200 and the expected body. */
export async function verifyTarget(targetName: string, baseUrl: string, workload: Workload): Promise<void> {
  const agent = new Agent({ keepAlive: false });
  const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const headers: Record<string, string> = { host: workload.host };
    if (workload.body !== undefined) headers["content-type"] = "application/json";
    const req = request(new URL("/", baseUrl), { method: workload.method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(workload.body);
  });
  if (body.status !== 200 || body.text !== workload.expected) {
    throw new Error(`${targetName} answered the ${workload.name} request with ${body.status} ${JSON.stringify(body.text.slice(0, 200))}`);
  }
}
