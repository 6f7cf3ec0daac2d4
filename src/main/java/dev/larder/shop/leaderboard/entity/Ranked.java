package dev.larder.shop.leaderboard.entity;

/** A product's place among the best sellers: 1 sold the most. */
public record Ranked(long rank, long productId, String name, long unitsSold) {
}
