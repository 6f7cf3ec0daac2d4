package dev.larder.kit.caching.boundary;

import jakarta.annotation.Priority;
import jakarta.interceptor.Interceptor;
import javax.cache.annotation.CacheRemoveAll;

/** Serves {@code @CacheRemoveAll} from Redis. */
@CacheRemoveAll
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public class CacheRemoveAllInterceptor extends JCacheInterceptor {
}
