package io.armguard.cli;

import io.armguard.config.ArmguardConfig;
import io.armguard.streams.ArmguardService;
import io.armguard.streams.BrokerLogin;
import io.armguard.streams.TopologySerdes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code armguard run --config FILE}: the service against real Kafka and schema-registry clusters
 * until stopped (SIGTERM / Ctrl-C closes Kafka Streams cleanly; buffered requests stay in the
 * changelogged store for the next owner of the partition). Credentials the cluster refuses end the
 * start with one line and exit code 1 ({@link BrokerLogin}).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run armguard against real clusters until stopped, with /health, /ready and Prometheus"
          + " /metrics on http.port.",
      "Configuration: the properties file, then ARMGUARD_* environment variables (e.g."
          + " ARMGUARD_BATCH_SIZE=16); see docs/streams.md for every key."
    })
public final class RunCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "properties file")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    ArmguardConfig config = ArmguardConfig.load(configFile);
    System.err.println("armguard: configuration " + config.describe());
    // before the models load: refused credentials end the start in seconds, with one line
    BrokerLogin.check(config, BrokerLogin.TIMEOUT);
    CountDownLatch stopped = new CountDownLatch(1);
    ServiceModels models = ServiceModels.load(config, false, System.err);
    ArmguardService service;
    try {
      service = new ArmguardService(config, TopologySerdes.fromConfig(config), models.newPool());
    } catch (Exception | Error e) {
      models.close();
      throw e;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  models.close();
                  stopped.countDown();
                },
                "armguard-shutdown"));
    System.err.printf(
        "armguard: running; /health /ready /metrics on port %d%n", service.httpPort());
    stopped.await();
    return 0;
  }
}
