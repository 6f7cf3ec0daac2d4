# Larder on the official Payara Micro 6 image (Alpine, Java 17, tini as PID 1, user payara).
# Build the WAR first:  mvn -B package -DskipTests
# Then:                 docker build -t larder .
#                       docker run -p 8080:8080 -e LARDER_REDIS_ADDRESS=redis://redis:6379 larder
# compose.yaml runs two of these with Redis, PostgreSQL and a load balancer.
FROM payara/micro:6.2025.10-jdk17

COPY --chown=payara:payara server-config/ /opt/payara/server-config/
COPY --chown=payara:payara target/larder.war /opt/payara/deployments/larder.war

# The same flags as ./run.sh: server-config/jvm.options and server-config/payara-micro.args.
# Application settings are LARDER_* and MP_JWT_* environment variables (README, "Configuration").
EXPOSE 8080
ENTRYPOINT ["tini", "--", "sh", "-c", "exec java $(grep -v '^#' /opt/payara/server-config/jvm.options | tr '\\n' ' ') -jar /opt/payara/payara-micro.jar --deploy /opt/payara/deployments/larder.war $(grep -v '^#' /opt/payara/server-config/payara-micro.args | tr '\\n' ' ') --port 8080 --rootdir /opt/payara/root"]

# Ready means 200 from /health/ready: Redis and the database answer and every start-up step
# (schema migration first) has run. A cold start takes 15-30 s; busybox wget fails on a 503.
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1:8080/health/ready || exit 1
