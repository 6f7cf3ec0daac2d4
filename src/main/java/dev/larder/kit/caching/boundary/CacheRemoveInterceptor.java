package dev.larder.kit.caching.boundary;

import jakarta.annotation.Priority;
import jakarta.interceptor.Interceptor;
import javax.cache.annotation.CacheRemove;

/** Serves {@code @CacheRemove} from Redis. */
@CacheRemove
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public class CacheRemoveInterceptor extends JCacheInterceptor {
}
