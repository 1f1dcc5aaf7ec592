package io.meshcode.mcp;

import java.util.ArrayList;
import java.util.List;

/** Set when the client cancels a tool call ({@code notifications/cancelled}); runs what was hung on it. */
final class CancelSignal {

  static final CancelSignal NEVER = new CancelSignal();

  private final List<Runnable> actions = new ArrayList<>();
  private boolean cancelled;

  synchronized boolean isCancelled() {
    return cancelled;
  }

  /** Runs {@code action} on cancellation, or at once if already cancelled. */
  void onCancel(Runnable action) {
    synchronized (this) {
      if (!cancelled) {
        actions.add(action);
        return;
      }
    }
    action.run();
  }

  void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled || this == NEVER) {
        return;
      }
      cancelled = true;
      toRun = new ArrayList<>(actions);
      actions.clear();
    }
    toRun.forEach(Runnable::run);
  }
}
