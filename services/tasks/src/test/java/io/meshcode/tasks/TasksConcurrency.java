package io.meshcode.tasks;

import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.TestServices;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/** Fires many requests at once and collects every answer, in the order they were made. */
final class TasksConcurrency {

  private TasksConcurrency() {}

  static List<ApiResponse> all(int count, IntFunction<CompletableFuture<ApiResponse>> request) {
    List<CompletableFuture<ApiResponse>> sent = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      sent.add(request.apply(i));
    }
    TestServices.await(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)));
    return sent.stream().map(CompletableFuture::join).toList();
  }
}
