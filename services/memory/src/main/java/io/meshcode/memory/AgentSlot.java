package io.meshcode.memory;

import java.util.UUID;

/** One agent of one meshwork, by the meshwork's id and the agent's name: whose memory a route reaches. */
record AgentSlot(UUID meshwork, String agent) {}
