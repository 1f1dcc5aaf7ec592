package io.meshcode.gateway;

import io.vertx.ext.web.RoutingContext;

/**
 * What a person sees who opens a link the mesh hands out. An invite's join URL says how to join:
 * redeeming takes a display name and an editor, so it happens in the terminal, not on a GET that
 * a link preview could trigger. A spectator link says how to watch the meshwork on the dashboard
 * with it: the dashboard signs in with a one-time ticket minted by a key, never with a key in a
 * page, so the token stays where it already is. Neither page repeats the token, and neither may
 * be cached or leak it as a referrer.
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

  static void watch(RoutingContext ctx) {
    page(ctx, """
            This is a read-only link to a MeshCode meshwork.

            The part of this page's address after /watch/ is a read-only key. To watch the
            meshwork live on the dashboard, run, with that key and this server's address:

                MESHCODE_API_KEY=<that key> meshcode dashboard --server <this server>

            Without the meshcode command, mint a one-time sign-in link and open the "url" it
            answers within 60 seconds:

                curl -X POST -H "Authorization: Bearer <that key>" <this server>/v1/tickets

            The key also reads the API directly, for example <this server>/v1/meshworks.
            Anyone with the link can read the meshwork; keep it among the people meant to.
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
