/**
 * The MCP stdio server that runs inside each editor ({@code meshcode mcp …}) and gives its agent
 * the {@code meshcode_*} tools. It reaches the mesh only through the gateway's public API.
 */
package io.meshcode.mcp;
