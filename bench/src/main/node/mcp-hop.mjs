// The MCP side of bench/mcp-hop (io.meshcode.bench.McpHopBench): two `meshcode mcp` servers, started
// as an editor starts them, each driven over stdio by the official TypeScript SDK client. On each
// line of stdin, {"messages": n, "pause_ms": p}, it times n hops one after another: the receiver
// calls meshcode_wait, after p ms (parked by then) the sender calls meshcode_send; the send's
// answer and the wait's answer are timed from just before the send leaves. Then meshcode_done
// acknowledges the batch, as an agent does. It answers each line with one JSON line on stdout:
// {"send_ns": […], "wake_ns": […]}. Its end of input closes both servers.
//
// Environment: MESHCODE_LAUNCHER (the installed meshcode), MESHCODE_SERVER, MESHCODE_API_KEY,
// MESHCODE_PROJECT, MCP_SENDER and MCP_RECEIVER (agents of that meshwork), HOME and
// XDG_CONFIG_HOME, MESHCODE_JAVA_OPTS (optional, passed to the launcher).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";

const LAUNCHER = required("MESHCODE_LAUNCHER");
const SENDER = required("MCP_SENDER");
const RECEIVER = required("MCP_RECEIVER");

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

const stderrTail = [];

async function connect(agent) {
  const env = {};
  for (const name of ["PATH", "HOME", "XDG_CONFIG_HOME", "MESHCODE_SERVER", "MESHCODE_API_KEY", "MESHCODE_JAVA_OPTS"]) {
    if (process.env[name] !== undefined) {
      env[name] = process.env[name];
    }
  }
  env.MESHCODE_EDITOR = "bench";
  const transport = new StdioClientTransport({
    command: LAUNCHER,
    args: ["mcp", "--project", required("MESHCODE_PROJECT"), "--agent", agent, "--client", "bench"],
    env,
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk) => {
    stderrTail.push(`${agent}: ${chunk}`);
    stderrTail.splice(0, Math.max(0, stderrTail.length - 20));
  });
  const client = new Client({ name: "meshcode-bench", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

async function call(client, name, args) {
  const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
  const json = JSON.parse(result.content[0].text);
  if (result.isError || json.ok !== true) {
    throw new Error(`${name} failed: ${result.content[0].text}\n${stderrTail.join("")}`);
  }
  return json;
}

/**
 * Until the server holds its agent: on a loaded machine a session's opening can outlast the
 * server's 5 s, and the session it opened anyway holds the agent until its lease runs out (30 s).
 */
async function serving(client) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const result = await client.callTool({ name: "meshcode_status", arguments: {} }, undefined, { timeout: 120_000 });
    if (!result.isError) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`the server never got its agent: ${result.content[0].text}\n${stderrTail.join("")}`);
    }
    await sleep(1000);
  }
}

/** One hop: the send's answer and the wake, in nanoseconds from just before the send left. */
async function hop(sender, receiver, i, pauseMs) {
  const text = `hop ${i} ${process.hrtime.bigint()}`;
  let wokeAt = 0n;
  let woken = false;
  const waiting = (async () => {
    while (!woken) {
      const batch = await call(receiver, "meshcode_wait", { timeout_seconds: 50 });
      if (batch.messages.some((m) => m.text === text)) {
        wokeAt = process.hrtime.bigint();
        woken = true;
      }
    }
  })();
  await sleep(pauseMs);
  const start = process.hrtime.bigint();
  await call(sender, "meshcode_send", { to: RECEIVER, message: text });
  const answered = process.hrtime.bigint();
  await waiting;
  await call(receiver, "meshcode_done", { summary: "bench hop" });
  return [Number(answered - start), Number(wokeAt - start)];
}

async function main() {
  const [sender, receiver] = await Promise.all([connect(SENDER), connect(RECEIVER)]);
  await Promise.all([serving(sender), serving(receiver)]);
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) {
      continue;
    }
    const { messages, pause_ms: pauseMs } = JSON.parse(line);
    const block = { send_ns: [], wake_ns: [] };
    for (let i = 0; i < messages; i++) {
      const [send, wake] = await hop(sender, receiver, i, pauseMs);
      block.send_ns.push(send);
      block.wake_ns.push(wake);
    }
    process.stdout.write(JSON.stringify(block) + "\n");
  }
  await Promise.all([sender.close(), receiver.close()]);
}

main().catch((e) => {
  console.error(e.stack ?? String(e));
  process.exit(1);
});
