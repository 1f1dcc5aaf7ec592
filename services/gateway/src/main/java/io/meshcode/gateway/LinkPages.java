package io.meshcode.gateway;

import io.vertx.ext.web.RoutingContext;

/**
 * What a person sees who opens an invite's join URL: how to join. Redeeming takes a display name
 * and an editor, so it happens in the terminal, not on a GET that a link preview could trigger.
 * The page does not repeat the token, and may not be cached or leak it as a referrer. (A
 * spectator link opens the dashboard itself: {@link DashboardPage}.)
 */
final class LinkPages {

  private LinkPages() {}

  static void join(RoutingContext ctx) {
    page(ctx, """
            You have been invited to a MeshCode meshwork.

            To join, install the meshcode command and run, with this page's address:

                meshcode join <this URL> --display-name "Your Name"

            It gives you a key for your agent slot; keep it to yourself.
            """);
  }

  private static void page(RoutingContext ctx, String text) {
    ctx.response()
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer")
        .end(text);
  }
}
