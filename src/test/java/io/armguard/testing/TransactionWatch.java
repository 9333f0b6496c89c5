package io.armguard.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * A diagnostic for the system tests: once a second, asks the broker's transaction coordinator for
 * every transaction that is not complete ({@code Admin.listTransactions} / {@code
 * describeTransactions}) and appends a line to a log file whenever one changes: transactional id,
 * state, producer id and epoch, how long it has been open and the partitions it holds (a {@code
 * __consumer_offsets} partition means pending transactional offsets). Which transaction, if any,
 * holds a request partition's committed offset pending is then read off the file of a failed run.
 * Errors (a broker being bounced) are logged and the next round tries again. Runs on its own daemon
 * thread until {@link #close()}.
 */
public final class TransactionWatch implements AutoCloseable {

  private final BrokerProcess broker;
  private final Path file;
  private final Map<String, String> last = new HashMap<>();
  private Admin admin; // only on the timer thread
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "transaction-watch");
            t.setDaemon(true);
            return t;
          });

  private TransactionWatch(BrokerProcess broker, Path file) {
    this.broker = broker;
    this.file = file;
  }

  /** Starts watching {@code broker}'s transactions, appending to {@code file}. */
  public static TransactionWatch start(BrokerProcess broker, Path file) {
    TransactionWatch w = new TransactionWatch(broker, file);
    w.timer.scheduleWithFixedDelay(w::round, 0, 1, TimeUnit.SECONDS);
    return w;
  }

  private void round() {
    Map<String, String> now = new TreeMap<>();
    try {
      if (admin == null) {
        admin = broker.admin();
      }
      List<String> ids =
          admin.listTransactions().all().get(5, TimeUnit.SECONDS).stream()
              .map(TransactionListing::transactionalId)
              .toList();
      if (!ids.isEmpty()) {
        long wall = System.currentTimeMillis();
        for (Map.Entry<String, TransactionDescription> e :
            admin.describeTransactions(ids).all().get(5, TimeUnit.SECONDS).entrySet()) {
          TransactionDescription d = e.getValue();
          boolean complete =
              d.state() == TransactionState.COMPLETE_COMMIT
                  || d.state() == TransactionState.COMPLETE_ABORT
                  || d.state() == TransactionState.EMPTY;
          String open =
              !complete && d.transactionStartTimeMs().isPresent()
                  ? " open " + (wall - d.transactionStartTimeMs().getAsLong()) / 1000 + " s"
                  : "";
          now.put(
              e.getKey(),
              d.state()
                  + " pid "
                  + d.producerId()
                  + " epoch "
                  + d.producerEpoch()
                  + " timeout "
                  + d.transactionTimeoutMs()
                  + " ms"
                  + open
                  + " "
                  + d.topicPartitions());
        }
      }
    } catch (Exception e) {
      append("watch failed: " + e);
      if (admin != null) {
        admin.close(java.time.Duration.ZERO);
        admin = null;
      }
      return;
    }
    StringBuilder changes = new StringBuilder();
    now.forEach(
        (id, state) -> {
          // an open transaction is logged every round: how long it stays open is the point
          if (!state.equals(last.get(id)) || state.contains(" open ")) {
            changes.append(id).append(": ").append(state).append('\n');
          }
        });
    last.keySet().stream()
        .filter(id -> !now.containsKey(id))
        .forEach(id -> changes.append(id).append(": gone\n"));
    last.clear();
    last.putAll(now);
    if (!changes.isEmpty()) {
      append(changes.toString().strip());
    }
  }

  private void append(String text) {
    try {
      Files.writeString(
          file,
          Instant.now() + " " + text.replace("\n", "\n    ") + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // a diagnostic: never fail the test for it
    }
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(10, TimeUnit.SECONDS);
    if (admin != null) {
      admin.close(java.time.Duration.ofSeconds(1));
    }
  }
}
