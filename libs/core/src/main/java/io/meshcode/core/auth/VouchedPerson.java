package io.meshcode.core.auth;

/**
 * The person a message comes from when a meshwork's owner sends it as themself (from the
 * dashboard) rather than as one of the agents: the gateway takes the owner's account name from
 * the key or dashboard session that authenticated the request and vouches for it in the internal
 * token, so a body can never name someone else.
 */
public final class VouchedPerson {

  /** The token's vouched claim holding the owner's account name. */
  public static final String CLAIM = "from_person";

  private VouchedPerson() {}
}
