package dev.larder.shop.catalog.entity;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** A relative stock adjustment. */
public record StockChange(@NotNull @Min(-1_000_000_000) @Max(1_000_000_000) Integer delta) {
}
