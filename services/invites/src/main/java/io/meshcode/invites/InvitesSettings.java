package io.meshcode.invites;

import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.service.ServiceSettings;
import java.net.URI;

/**
 * The invites service's settings: the common ones plus the public URL of the mesh, which the
 * join and watch links it hands out point at.
 */
public record InvitesSettings(ServiceSettings service, String publicUrl) {

  public static final String DEFAULT_PUBLIC_URL = "http://127.0.0.1:8080";

  public InvitesSettings {
    // Links are built as publicUrl + "/join/…": no trailing slash, whatever the variable held.
    publicUrl = publicUrl.replaceAll("/+$", "");
  }

  public static InvitesSettings from(EnvConfig env, int defaultPort) {
    ServiceSettings service = ServiceSettings.from(env, "invites", defaultPort);
    URI publicUrl = env.httpUrl("MESHCODE_PUBLIC_URL", DEFAULT_PUBLIC_URL);
    return new InvitesSettings(service, publicUrl.toString());
  }

  public String joinUrl(String inviteToken) {
    return publicUrl + "/join/" + inviteToken;
  }

  public String watchUrl(String spectatorToken) {
    return publicUrl + "/watch/" + spectatorToken;
  }
}
