package dev.larder.shop.cart.entity;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** How many of a product the cart should hold. */
public record QuantityChange(@NotNull @Min(1) @Max(1000) Integer quantity) {
}
