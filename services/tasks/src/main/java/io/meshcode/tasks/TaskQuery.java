package io.meshcode.tasks;

import java.util.List;
import java.util.UUID;

/** A page of a meshwork's board: tasks after {@code after} in creation order, filtered by status and assignee when given. */
record TaskQuery(UUID meshwork, String status, String assignee, UUID after, int limit) {

  /** {@code nextAfter}: the id to ask after for the next page, null when no more tasks match. */
  record Page(List<Task> tasks, UUID nextAfter) {}
}
