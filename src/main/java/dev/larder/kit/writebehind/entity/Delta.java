package dev.larder.kit.writebehind.entity;

/** One durable write waiting in a write-behind log: add {@code amount} to the counter {@code key}; {@code id} is its stream entry id. */
public record Delta(String id, String key, long amount) {
}
