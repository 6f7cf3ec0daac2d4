package dev.larder.kit.caching.boundary;

import jakarta.annotation.Priority;
import jakarta.interceptor.Interceptor;
import javax.cache.annotation.CachePut;

/** Serves {@code @CachePut} from Redis. */
@CachePut
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public class CachePutInterceptor extends JCacheInterceptor {
}
