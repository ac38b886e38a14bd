package com.neurocards.messaging.health;

import com.neurocards.contracts.QueueName;
import com.neurocards.messaging.consumer.QueueConsumers;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while every stage this instance should consume has a live consumer on its queue. A stage whose consumer
 * the broker took away is subscribed again within seconds ({@link QueueConsumers}); until then its queue is named in
 * the check's data as {@code not consuming}, so an operator sees which one.
 */
@Readiness
@ApplicationScoped
public class StageConsumersHealthCheck implements HealthCheck {

    private final QueueConsumers consumers;

    public StageConsumersHealthCheck(QueueConsumers consumers) {
        this.consumers = consumers;
    }

    @Override
    public HealthCheckResponse call() {
        List<QueueName> missing = consumers.notConsuming();
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("stage-consumers").status(missing.isEmpty());
        for (QueueName queue : consumers.consumedQueues()) {
            response.withData(queue.queueName(), missing.contains(queue) ? "not consuming" : "consuming");
        }
        return response.build();
    }
}
