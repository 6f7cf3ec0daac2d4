package dev.larder.kit.caching.boundary;

import dev.larder.kit.caching.control.CacheEngine;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.InvocationContext;

/**
 * The one adapter between CDI interception and {@link CacheEngine}; each JSR-107 annotation has a
 * subclass that only declares the binding (a CDI interceptor binds through its class's annotations).
 */
abstract class JCacheInterceptor {

    @Inject
    CacheEngine engine;

    @AroundInvoke
    Object intercept(InvocationContext call) throws Exception {
        return engine.invoke(call.getMethod(), call.getParameters(), call::proceed);
    }
}
