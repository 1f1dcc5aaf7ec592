package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The tool catalogue")
class ToolCatalogTest {

  /** The names and argument names, which prompts and other clients rely on. */
  static final Map<String, List<String>> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("meshcode_wait", List.of("timeout_seconds"));
    EXPECTED.put("meshcode_done", List.of("summary", "reply_to"));
    EXPECTED.put("meshcode_send", List.of("to", "message", "data", "thread_id", "reply_to", "kind"));
    EXPECTED.put("meshcode_broadcast", List.of("message", "data"));
    EXPECTED.put("meshcode_inbox", List.of("limit"));
    EXPECTED.put("meshcode_status", List.of());
    EXPECTED.put("meshcode_tasks", List.of("status", "assignee"));
    EXPECTED.put("meshcode_task_create", List.of("title", "description", "assignee", "priority"));
    EXPECTED.put("meshcode_task_update", List.of("id", "status", "progress", "assignee", "note"));
    EXPECTED.put("meshcode_task_claim", List.of("id"));
    EXPECTED.put("meshcode_remember", List.of("key", "value"));
    EXPECTED.put("meshcode_recall", List.of("key"));
    EXPECTED.put("meshcode_forget", List.of("key"));
    EXPECTED.put("meshcode_scratchpad_set", List.of("key", "value"));
    EXPECTED.put("meshcode_scratchpad_get", List.of("key"));
    EXPECTED.put("meshcode_reserve", List.of("paths", "reason", "ttl_seconds"));
    EXPECTED.put("meshcode_release", List.of("paths"));
    EXPECTED.put("meshcode_create_meshwork", List.of("name"));
    EXPECTED.put("meshcode_add_agent", List.of("name", "role"));
    EXPECTED.put("meshcode_edit_agent", List.of("name", "role", "launch_prompt"));
    EXPECTED.put("meshcode_edit_memory", List.of("agent_name", "key", "value"));
    EXPECTED.put("meshcode_link", List.of("target_meshwork"));
  }

  static List<ToolSpec> specs() {
    McpOptions options = new McpOptions("mw", "backend", URI.create("http://127.0.0.1:9"), "mc_test", false, null, null);
    Gateway gateway = new Gateway(options);
    MessageSender sender = new MessageSender(gateway);
    return AgentTools.all(gateway, new Inbox(gateway, sender, Executors.newSingleThreadScheduledExecutor(), Duration.ofSeconds(10)), sender);
  }

  @Test
  @DisplayName("has exactly the issue's tools, in order, with exactly its argument names")
  void namesAndArguments() {
    Map<String, List<String>> actual = new LinkedHashMap<>();
    specs().forEach(spec -> actual.put(spec.name(), spec.arguments()));
    assertThat(actual).containsExactlyEntriesOf(EXPECTED);
  }

  @Test
  @DisplayName("answers tools/list in under 8 KB")
  void listUnderBudget() throws Exception {
    List<McpSchema.Tool> tools = specs().stream().map(AgentTools::describe).toList();
    McpSchema.JSONRPCResponse response = McpSchema.JSONRPCResponse.result(1, McpSchema.ListToolsResult.builder(tools).build());
    String line = McpJsonDefaults.getMapper().writeValueAsString(response);
    int bytes = line.getBytes(StandardCharsets.UTF_8).length;
    System.out.println("tools/list answer: " + bytes + " bytes");
    assertThat(bytes).isLessThan(8 * 1024);
  }

  @Test
  @DisplayName("declares input schemas that are valid JSON Schema (the server itself skips the SDK's check)")
  void validSchemas() {
    var validator = McpJsonDefaults.getSchemaValidator();
    specs().forEach(spec -> assertThat(validator.validateSchema(spec.inputSchema()).valid()).as(spec.name()).isTrue());
    assertThat(validator.validate(specs().get(2).inputSchema(), Map.of("to", List.of("a", "b"), "message", "hi")).valid()).isTrue();
    assertThat(validator.validate(specs().get(2).inputSchema(), Map.of("message", "hi")).valid()).isFalse();
  }

  @Test
  @DisplayName("describes every tool in one short sentence or two")
  void shortDescriptions() {
    specs().forEach(spec -> assertThat(spec.description()).as(spec.name()).hasSizeLessThanOrEqualTo(160));
  }
}
