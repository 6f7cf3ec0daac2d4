/**
 * Application events over Redis pub/sub, shared by every instance.
 *
 * <p>Keys: none stored. Channels: {@code larder:events:<type>}, e.g. {@code larder:events:product}
 * with {@code {"productId","change"}}; a later capability relays them to Server-Sent-Events clients.
 */
package dev.larder.kit.events;
