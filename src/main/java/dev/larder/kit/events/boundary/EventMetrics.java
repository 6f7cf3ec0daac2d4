package dev.larder.kit.events.boundary;

import dev.larder.kit.events.control.EventRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;

/** {@code larder_events_clients}: Server-Sent-Events clients connected to this instance. */
@ApplicationScoped
public class EventMetrics {

    @Inject
    EventRelay relay;

    @Inject
    MetricRegistry metrics;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        metrics.gauge(Metadata.builder().withName("larder.events.clients")
                .withDescription("Server-Sent-Events clients connected to this instance").withUnit(MetricUnits.NONE).build(),
                relay, EventRelay::clients);
    }
}
