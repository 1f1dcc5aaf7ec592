package io.meshcode.bus;

import io.meshcode.core.http.ApiException;
import io.vertx.sqlclient.Row;

/**
 * Whether the session a request was made in (the window's, as the gateway vouches for it) still
 * holds the request's agent, checked inside the statement that does the request's work: a send, a
 * wait's read and an acknowledgement take the session id as one more parameter, write nothing when
 * it no longer holds the agent, and answer why. The check costs no round trip of its own.
 *
 * <p>It reads the session and the agent's presence row by their primary keys, without locks, in
 * the statement's snapshot: a take-over that commits while the statement runs orders after it. A
 * request made in no session (the parameter null) is not checked.
 */
final class SessionCheck {

  private static final String GONE = "gone";
  private static final String UNKNOWN = "unknown";

  private SessionCheck() {}

  /**
   * The common table expression {@code session_check}, one row whose {@code refusal} is null while
   * session {@code $<session>} holds agent {@code $<agent>} of meshwork {@code $<meshwork>} (or the
   * session is null), else why not: {@code taken_over}, {@code gone} (closed, revoked, or its lease
   * ran out) or {@code unknown} (not this agent's). The statement's writes go on only
   * {@code WHERE (SELECT refusal IS NULL FROM session_check)}, and it answers the refusal.
   */
  static String cte(int sessionParam, int meshworkParam, int agentParam) {
    return """
        session_check AS (
          SELECT NULLIF(COALESCE((
                   SELECT CASE WHEN p.session_id = s.id AND p.lease_expires_at > now() THEN 'holds'
                               WHEN s.end_reason = '%4$s' THEN '%4$s' ELSE '%5$s' END
                     FROM sessions s LEFT JOIN presence p ON p.meshwork_id = s.meshwork_id AND p.agent = s.agent
                    WHERE s.id = $%1$d AND s.meshwork_id = $%2$d AND s.agent = $%3$d),
                   CASE WHEN $%1$d::uuid IS NOT NULL THEN '%6$s' END), 'holds') AS refusal
        )""".formatted(sessionParam, meshworkParam, agentParam, SessionRepository.TAKEN_OVER, GONE, UNKNOWN);
  }

  /** The refusal the statement's {@code refusal} column answers, or null if the request may go on. */
  static ApiException refusal(Row row) {
    String refusal = row.getString("refusal");
    if (refusal == null) {
      return null;
    }
    return switch (refusal) {
      case SessionRepository.TAKEN_OVER -> SessionRepository.takenOver();
      case GONE -> SessionRepository.gone();
      default -> SessionRepository.unknownSession();
    };
  }
}
