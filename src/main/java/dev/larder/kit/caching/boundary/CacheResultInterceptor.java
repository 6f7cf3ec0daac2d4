package dev.larder.kit.caching.boundary;

import jakarta.annotation.Priority;
import jakarta.interceptor.Interceptor;
import javax.cache.annotation.CacheResult;

/** Serves {@code @CacheResult} from Redis. */
@CacheResult
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public class CacheResultInterceptor extends JCacheInterceptor {
}
