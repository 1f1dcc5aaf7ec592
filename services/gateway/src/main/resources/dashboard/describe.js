// One line about an entry of the replay log, for the timeline.
import { clip } from "./core.js";

export function describe(entry) {
  const p = entry.payload || {};
  const who = p.from_person || entry.agent || "the meshwork";
  switch (entry.type) {
    case "message.sent":
      return who + " → " + (entry.recipients || []).join(", ") + ": " + clip(p.text);
    case "message.delivered":
      return "delivered to " + who + ": " + (p.message_ids || []).length + " message(s)";
    case "message.read":
      return who + " read " + (p.message_ids || []).length + " message(s)";
    case "agent.status":
      return who + ": " + p.from + " → " + p.to;
    case "session.opened":
      return who + " opened a session" + (p.client ? " (" + clip(p.client) + ")" : "") + (p.took_over ? ", taking over" : "");
    case "session.closed":
      return who + " closed its session";
    case "session.taken_over":
      return who + ": another window took over";
    case "tool.called":
      return who + " called " + clip(p.tool || "a tool") + (p.result ? " (" + p.result + ")" : "") + (p.duration_ms !== undefined ? " in " + p.duration_ms + " ms" : "");
    case "memory.remembered":
      return who + " remembered " + clip(p.key);
    case "memory.forgotten":
      return who + " forgot " + clip(p.key);
    default:
      if (entry.type.startsWith("task.")) {
        return who + ": " + clip(p.title || p.task_id || "");
      }
      return who;
  }
}
