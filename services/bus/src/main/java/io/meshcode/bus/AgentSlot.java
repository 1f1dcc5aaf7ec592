package io.meshcode.bus;

import java.util.UUID;

/** One agent of one meshwork: the seat an editor window fills, by the meshwork's id and the agent's name. */
record AgentSlot(UUID meshwork, String agent) {}
