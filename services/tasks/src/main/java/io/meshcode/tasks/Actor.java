package io.meshcode.tasks;

import java.util.UUID;

/**
 * Who acts in one meshwork: the agent the token names (a guest's own slot, or the agent of an
 * agent route), or {@value #OWNER} for an owner acting on a meshwork route without one.
 */
record Actor(UUID meshwork, String agent) {

  static final String OWNER = "owner";
}
