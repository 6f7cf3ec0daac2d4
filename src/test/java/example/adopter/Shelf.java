package example.adopter;

/** A value the adopting team caches: a record of its own package, which the kit knows nothing of. */
public record Shelf(String name, int jars) {
}
