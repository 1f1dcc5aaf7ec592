// Drives two MeshCode MCP servers (one per agent) over stdio with the official TypeScript SDK
// client, the way Claude Code, Cursor and the others do, against a real mesh. Every check is an
// assertion: the script exits 0 when all hold, and prints one JSON report line on stdout.
//
// Environment: MCP_JAVA, MCP_JAR, MESHCODE_SERVER, MESHCODE_API_KEY (an owner key),
// MESHCODE_PROJECT (a meshwork with agents backend and frontend), MCP_JVM_FLAGS (optional).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import assert from "node:assert/strict";

const JAVA = required("MCP_JAVA");
const JAR = required("MCP_JAR");
const SERVER = required("MESHCODE_SERVER");
const KEY = required("MESHCODE_API_KEY");
const MESHWORK = required("MESHCODE_PROJECT");
const JVM_FLAGS = (process.env.MCP_JVM_FLAGS ?? "").split(" ").filter(Boolean);

const report = { tools: 0, checks: [], called: [] };
const called = new Set();
const logs = {};

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

function check(name) {
  report.checks.push(name);
}

async function connect(agent) {
  const transport = new StdioClientTransport({
    command: JAVA,
    args: [...JVM_FLAGS, "-jar", JAR, "--project", MESHWORK, "--agent", agent],
    env: {
      PATH: process.env.PATH ?? "",
      MESHCODE_SERVER: SERVER,
      MESHCODE_API_KEY: KEY,
      MESHCODE_EDITOR: "ts-sdk-test",
      MESHCODE_MCP_PROGRESS_SECONDS: "1",
    },
    stderr: "pipe",
  });
  logs[agent] = [];
  transport.stderr?.on("data", (chunk) => logs[agent].push(chunk.toString()));
  const client = new Client({ name: "meshcode-ts-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

function parse(result) {
  assert.equal(result.content.length, 1);
  assert.equal(result.content[0].type, "text");
  return { isError: result.isError === true, json: JSON.parse(result.content[0].text) };
}

async function call(client, name, args, options) {
  called.add(name);
  return parse(await client.callTool({ name, arguments: args }, undefined, options));
}

async function ok(client, name, args, options) {
  const { isError, json } = await call(client, name, args, options);
  assert.equal(isError, false, `${name} failed: ${JSON.stringify(json)}`);
  assert.equal(json.ok, true);
  return json;
}

async function status(agent) {
  const response = await fetch(`${SERVER}/v1/meshworks/${MESHWORK}`, { headers: { Authorization: `Bearer ${KEY}` } });
  assert.equal(response.status, 200);
  return (await response.json()).agents.find((a) => a.name === agent).status;
}

async function main() {
  const backend = await connect("backend");
  const frontend = await connect("frontend");

  const { tools } = await backend.listTools();
  report.tools = tools.length;
  report.toolsListBytes = Buffer.byteLength(JSON.stringify({ tools }));
  assert.equal(tools.length, 22);
  assert.ok(report.toolsListBytes < 8 * 1024);
  const send = tools.find((t) => t.name === "meshcode_send");
  assert.deepEqual(Object.keys(send.inputSchema.properties), ["to", "message", "data", "thread_id", "reply_to", "kind"]);
  assert.deepEqual(send.inputSchema.required, ["to", "message"]);
  check("tools listed");

  assert.match(backend.getInstructions(), /You are agent "backend"/);
  assert.match(backend.getInstructions(), /meshcode_wait/);
  check("instructions");

  const sent = await ok(backend, "meshcode_send", { to: "frontend", message: "hello from TypeScript", kind: "request", data: { n: 1 } });
  assert.equal(sent.recipients[0].agent, "frontend");
  assert.equal(sent.recipients[0].state, "queued");
  const got = await ok(frontend, "meshcode_wait", { timeout_seconds: 10 });
  assert.equal(got.messages.length, 1);
  assert.equal(got.messages[0].id, sent.id);
  assert.equal(got.messages[0].from, "backend");
  assert.deepEqual(got.messages[0].data, { n: 1 });
  const done = await ok(frontend, "meshcode_done", { summary: "hello back", reply_to: got.messages[0].id });
  assert.equal(done.acked, 1);
  const reply = await ok(backend, "meshcode_wait", { timeout_seconds: 10 });
  assert.equal(reply.messages[0].kind, "reply");
  assert.equal(reply.messages[0].reply_to, sent.id);
  assert.equal(reply.messages[0].text, "hello back");
  await ok(backend, "meshcode_done", { summary: "conversation over" });
  check("request and reply");

  const progress = [];
  const quiet = await ok(frontend, "meshcode_wait", { timeout_seconds: 3 }, { onprogress: (p) => progress.push(p), timeout: 30_000 });
  assert.equal(quiet.messages.length, 0);
  assert.ok(progress.length >= 2, `progress notifications: ${JSON.stringify(progress)}`);
  assert.ok(progress[1].progress > progress[0].progress);
  assert.equal(progress[0].total, 3);
  check("progress while parked");

  const controller = new AbortController();
  const started = Date.now();
  const parked = frontend.callTool({ name: "meshcode_wait", arguments: { timeout_seconds: 40 } }, undefined, { signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal(await status("frontend"), "waiting");
  controller.abort("the user pressed Esc");
  await assert.rejects(parked);
  assert.ok(Date.now() - started < 10_000);
  await ok(backend, "meshcode_send", { to: ["frontend"], message: "after the cancel" });
  const after = await ok(frontend, "meshcode_wait", { timeout_seconds: 10 });
  assert.deepEqual(after.messages.map((m) => m.text), ["after the cancel"]);
  await ok(frontend, "meshcode_done", { summary: "got it" });
  check("cancellation");

  const bad = await call(backend, "meshcode_send", { message: "nobody to send to" });
  assert.equal(bad.isError, true);
  assert.deepEqual(bad.json, { ok: false, error: { code: "invalid_arguments", message: "'to' is required" } });
  const badWait = await call(backend, "meshcode_wait", { timeout_seconds: "forever" });
  assert.equal(badWait.isError, true);
  assert.equal(badWait.json.error.message, "'timeout_seconds' must be a whole number from 0 to 50");
  check("bad arguments");

  const everyone = await ok(backend, "meshcode_broadcast", { message: "standup in 5" });
  assert.deepEqual(everyone.recipients.map((r) => r.agent), ["frontend"]);
  const peek = await ok(frontend, "meshcode_inbox", { limit: 5 });
  assert.deepEqual(peek.messages.map((m) => m.text), ["standup in 5"]);
  const team = await ok(frontend, "meshcode_status", {});
  assert.deepEqual(team.agents.map((a) => a.name).sort(), ["backend", "frontend"]);
  check("broadcast, inbox, status");

  const memory = await ok(backend, "meshcode_remember", { key: "notes/api", value: "v2 ships friday" });
  assert.equal(memory.created, true);
  assert.equal((await ok(backend, "meshcode_recall", { key: "notes/api" })).value, "v2 ships friday");
  assert.equal((await ok(backend, "meshcode_recall", {})).memories.length, 1);
  assert.equal((await ok(backend, "meshcode_forget", { key: "notes/api" })).forgotten, true);
  await ok(frontend, "meshcode_edit_memory", { agent_name: "backend", key: "style", value: "small commits" });
  await ok(backend, "meshcode_scratchpad_set", { key: "release", value: "friday" });
  assert.equal((await ok(frontend, "meshcode_scratchpad_get", { key: "release" })).value, "friday");
  assert.equal((await ok(frontend, "meshcode_scratchpad_get", {})).entries.length, 1);
  const task = (await ok(backend, "meshcode_task_create", { title: "Ship v2", priority: "urgent" })).task;
  assert.equal((await ok(frontend, "meshcode_task_claim", { id: task.id })).task.assignee, "frontend");
  assert.equal((await ok(frontend, "meshcode_task_update", { id: task.id, status: "review", note: "ready" })).task.status, "review");
  assert.equal((await ok(backend, "meshcode_tasks", { status: "review" })).tasks[0].id, task.id);
  assert.equal((await ok(backend, "meshcode_reserve", { paths: ["src/**"], reason: "v2" })).reservations.length, 1);
  assert.deepEqual((await ok(backend, "meshcode_release", {})).released, ["src/**"]);
  const added = await ok(backend, "meshcode_add_agent", { name: "ops", role: "deploys" });
  assert.equal(added.next_command, `meshcode go ops --project ${MESHWORK}`);
  await ok(backend, "meshcode_edit_agent", { name: "ops", launch_prompt: "Deploy on green." });
  const other = `${MESHWORK}-x`.slice(0, 40);
  await ok(backend, "meshcode_create_meshwork", { name: other });
  await ok(backend, "meshcode_link", { target_meshwork: other });
  report.called = [...called].sort();
  assert.equal(called.size, 22, `tools called: ${report.called}`);
  check("every tool");

  await backend.close();
  await frontend.close();
  assert.equal(await status("backend"), "offline");
  assert.equal(await status("frontend"), "offline");
  check("closed");

  // A server for an agent that does not exist fails initialize with what is wrong: connect rejects
  // with it, which is what an editor's MCP panel shows.
  await assert.rejects(connect("frontnd"), (error) => {
    assert.match(String(error.message), new RegExp(`agent 'frontnd' not found in project '${MESHWORK}'\\. Did you mean: frontend\\?`));
    assert.doesNotMatch(String(error.message), /another window/);
    return true;
  });
  check("unknown agent refused");
}

main()
  .then(() => {
    console.log(JSON.stringify(report));
    process.exit(0);
  })
  .catch((error) => {
    console.error(error);
    for (const [agent, lines] of Object.entries(logs)) {
      console.error(`--- ${agent} server log ---\n${lines.join("")}`);
    }
    console.log(JSON.stringify({ ...report, failed: String(error) }));
    process.exit(1);
  });
