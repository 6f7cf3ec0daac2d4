/**
 * The Jackson configurations shared by the REST layer (strict) and the Redis codec (tolerant of
 * fields added by newer versions). Modules are registered explicitly, never discovered.
 */
package dev.larder.kit.json;
