package dev.larder.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.http.ClientConfig;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium, Debian's {@code chromium} driven through its {@code chromedriver} (both at
 * {@code /usr/bin}; {@code .ci/run} installs them), with a fresh profile and nothing that reaches
 * beyond the pages it is sent to. Every wait is bounded; closing quits the browser and deletes the
 * profile.
 */
public final class Browser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /** Selenium warns that it has no DevTools bindings for this Chromium; the tests use none. */
    private static final Logger CDP_WARNINGS = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static Browser start() throws IOException {
        for (String program : new String[] {CHROMIUM, CHROMEDRIVER}) {
            if (!new File(program).canExecute()) {
                throw new IllegalStateException(program + " is missing: apt-get install -y chromium chromium-driver (.ci/run does)");
            }
        }
        CDP_WARNINGS.setLevel(Level.SEVERE);
        Path profile = Files.createTempDirectory("larder-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options, ClientConfig.defaultConfig().readTimeout(Duration.ofSeconds(60)));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
        return new Browser(driver, profile);
    }

    public WebDriver open(String url) {
        driver.get(url);
        return driver;
    }

    public WebDriver driver() {
        return driver;
    }

    /** Waits at most {@code timeout} for {@code condition} to answer non-null and not false; fails naming {@code what}. */
    public <T> T await(Duration timeout, String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).withMessage(what)
                .ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }

    /** Writes a PNG of the window to {@code file} (creating its folder). */
    public void screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
