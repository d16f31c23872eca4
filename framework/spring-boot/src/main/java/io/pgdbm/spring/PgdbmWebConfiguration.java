package io.pgdbm.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/** Problem details for pgdbm's failures in a Spring MVC application (see {@link PgdbmProblemDetails}). */
@AutoConfiguration(after = PgdbmAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(
        name = {"org.springframework.http.ProblemDetail", "org.springframework.web.servlet.DispatcherServlet"})
@ConditionalOnProperty(prefix = "pgdbm.web.problem-details", name = "enabled", matchIfMissing = true)
public class PgdbmWebConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PgdbmProblemDetails pgdbmProblemDetails(PgdbmProperties properties) {
        return new PgdbmProblemDetails(properties.getWeb().getProblemDetails().getRetryAfter());
    }
}
