/**
 * The shopping cart, kept in the Redis session (attribute {@code cart}): product ids and
 * quantities only, priced from the catalog when shown, so a price change shows in every cart and a
 * deleted product drops out. Reading a cart never creates a session; changing one does. An
 * unknown product is 404, a quantity outside 1..1000 is 400, more than 50 different products is 400.
 */
package dev.larder.shop.cart;
