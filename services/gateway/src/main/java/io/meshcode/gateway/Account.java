package io.meshcode.gateway;

/** An account that owns meshworks; the admin account is the one the bootstrap key belongs to. */
public record Account(String id, String name, boolean admin) {}
