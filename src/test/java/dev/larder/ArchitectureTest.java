package dev.larder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void theKitNeverDependsOnTheShop() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/larder/kit"))) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(ArchitectureTest::mentionsTheShop)
                    .toList();
            assertThat(offenders).isEmpty();
        }
    }

    private static boolean mentionsTheShop(Path file) {
        try {
            return Files.readString(file).contains("dev.larder.shop");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
