package io.meshcode.gateway;

import io.meshcode.gateway.AccountRepository.OwnerKey;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Onboarding's "CLI logged in" step: the first request the meshcode command makes with one of an
 * account's owner keys is recorded on the account, once. The command says who it is in its
 * {@code User-Agent}; that is enough for a checklist, which nothing is granted by. The write
 * happens only while the account, as just read with the key, shows no such request yet, so it
 * costs one statement in an account's life rather than one per request; replicas racing on the
 * first calls are harmless ({@link AccountRepository#MARK_CLI_SEEN}). A dashboard session never
 * comes here: it is the dashboard calling, whatever its {@code User-Agent} says.
 */
final class CliFirstUse {

  static final String USER_AGENT = "meshcode-cli";

  private static final Logger LOG = LoggerFactory.getLogger(CliFirstUse.class);

  private final AccountRepository accounts;

  CliFirstUse(AccountRepository accounts) {
    this.accounts = accounts;
  }

  /**
   * Records {@code owner}'s account as having used the CLI if this request is the command's and
   * the account shows none yet. Never fails: a checklist is not worth refusing a request for.
   */
  Future<Void> note(OwnerKey owner, String userAgent) {
    if (owner.cliSeen() || !isCli(userAgent)) {
      return Future.succeededFuture();
    }
    return accounts.markCliSeen(owner.account().id()).recover(failure -> {
      LOG.warn("recording the CLI's first call for account {} failed: {}", owner.account().id(), failure.getMessage());
      return Future.succeededFuture();
    });
  }

  /** The command's own product token, with or without a version after it ({@code meshcode-cli/1.2}). */
  static boolean isCli(String userAgent) {
    return userAgent != null
        && (userAgent.equals(USER_AGENT) || userAgent.startsWith(USER_AGENT + "/") || userAgent.startsWith(USER_AGENT + " "));
  }
}
