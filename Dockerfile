# Larder on the official Payara Micro 6 image (Java 17). Build the WAR first: mvn -B package
# Run:  docker run -p 8080:8080 -e LARDER_REDIS_ADDRESS=redis://redis:6379 larder
FROM payara/micro:6.2025.10-jdk17
COPY server-config/ /opt/payara/server-config/
COPY target/larder.war /opt/payara/deployments/larder.war
ENV JVM_ARGS="-Xmx384m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec java $JVM_ARGS -jar /opt/payara/payara-micro.jar --deploy /opt/payara/deployments/larder.war $(grep -v '^#' /opt/payara/server-config/payara-micro.args | tr '\\n' ' ') --port 8080"]
