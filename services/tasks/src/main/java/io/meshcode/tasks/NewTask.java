package io.meshcode.tasks;

/** A task as its creator asked for it, validated. */
record NewTask(String title, String description, String status, String priority, String assignee) {}
