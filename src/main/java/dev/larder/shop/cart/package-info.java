/**
 * The shopping cart, kept in the Redis session: product ids and quantities only, priced from the
 * catalog when shown, so a price change shows in every cart and a deleted product drops out.
 * Reading a cart never creates a session; changing one does. An unknown product is 404, a quantity
 * outside 1..1000 is 400, a line for a 51st different product is 400 (changing a line already in the
 * cart is always allowed). Lines are shown in product id order.
 *
 * <p>Decisions: each line is a session attribute of its own, {@code cart:<productId>} → quantity
 * (an {@code Integer}), because the session store merges concurrent requests per attribute: two tabs
 * (or two instances) that change different lines at the same time both keep their change, where one
 * attribute holding the whole cart lost all but the last writer's. Emptying the cart removes the
 * lines the request sees; a line added by a request running at the same time stays. The 50-line
 * bound is exact for requests one after another but not under concurrency: each request checks the
 * lines it loaded, so k requests that each add a new line to a 49-line cart at once leave 49 + k
 * lines. Acceptable: the bound keeps a session small, it is no business rule; the overshoot is
 * bounded by one client's concurrent requests (which the rate limiter bounds), and once committed,
 * further new lines are refused until lines are removed. Making it exact would need a per-session
 * lock or a check inside the store's save script for the cart alone.
 *
 * <p>Sessions from before per-line attributes hold the whole cart in the attribute {@code cart}
 * ({@link dev.larder.shop.cart.entity.Cart}); the first request that touches such a cart turns it
 * into lines. The session is the only Redis state: see {@code dev.larder.kit.sessions} for its key.
 */
package dev.larder.shop.cart;
