package org.newsroom.membership.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.Cache;
import org.junit.jupiter.api.Test;

/**
 * The near cache in front of the shared grid, with the grid played by a map. The attacks are those
 * of a process that joined the grid: it can write any entry, but not the cluster's MAC key.
 */
class NearCacheTest {

  private static final String KEY = "a cluster key of at least 32 characters, for tests";
  private static final String SESSION = UUID.randomUUID() + " 1900000000 1800000000";

  private final Map<String, String> gridEntries = new ConcurrentHashMap<>();

  /** A name of its own per test: near caches share local copies by cache name within a JVM. */
  private final Cache<String, String> grid = grid("sessions-" + UUID.randomUUID(), gridEntries);

  @Test
  void aValueWrittenByAnotherInstanceWithTheSameKeyIsBelieved() {
    instance(GridSeal.withKey(KEY)).put("hash-1", SESSION);

    NearCache otherInstance = instance(GridSeal.withKey(KEY));

    assertThat(otherInstance.get("hash-1")).isEqualTo(SESSION);
  }

  @Test
  void aPlainValueForgedInTheGridIsRefused() {
    gridEntries.put("attacker-hash", SESSION);

    assertThat(instance(GridSeal.withKey(KEY)).get("attacker-hash")).isNull();
  }

  @Test
  void aValueSealedWithAnotherKeyIsRefused() {
    GridSeal attackersKey = GridSeal.withKey("a key the attacker made up, 32 characters or more");
    gridEntries.put("attacker-hash", attackersKey.seal(grid.getName(), "attacker-hash", SESSION));

    assertThat(instance(GridSeal.withKey(KEY)).get("attacker-hash")).isNull();
  }

  @Test
  void aGenuineValueCopiedUnderAnotherKeyIsRefused() {
    instance(GridSeal.withKey(KEY)).put("victims-hash", SESSION);
    gridEntries.put("attacker-hash", gridEntries.get("victims-hash"));

    NearCache otherInstance = instance(GridSeal.withKey(KEY));

    assertThat(otherInstance.get("attacker-hash")).isNull();
    assertThat(otherInstance.get("victims-hash")).isEqualTo(SESSION);
  }

  @Test
  void aValueWhoseMacWasKeptButWhoseContentChangedIsRefused() {
    instance(GridSeal.withKey(KEY)).put("hash-1", SESSION);
    String sealed = gridEntries.get("hash-1");
    String otherMember = UUID.randomUUID().toString();
    gridEntries.put("hash-1", sealed.substring(0, sealed.indexOf(' ') + 1) + otherMember + " 1 1");

    assertThat(instance(GridSeal.withKey(KEY)).get("hash-1")).isNull();
  }

  @Test
  void withoutAConfiguredKeyAnInstanceTrustsOnlyItsOwnValues() {
    instance(GridSeal.ofThisProcessOnly()).put("hash-1", SESSION);

    assertThat(instance(GridSeal.ofThisProcessOnly()).get("hash-1")).isNull();
  }

  @Test
  void aShortKeyIsRejectedAtStart() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GridSeal.withKey("too short"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cluster.mac-key");
  }

  @Test
  void aLocalCopyIsServedWithoutAskingTheGrid() {
    NearCache near = new NearCache(grid, GridSeal.withKey(KEY), Duration.ofMinutes(5), 100);
    near.put("hash-1", SESSION);
    gridEntries.clear();

    assertThat(near.get("hash-1")).isEqualTo(SESSION);
  }

  @Test
  void aLocalCopyIsDecodedOnceAndARemovalDropsTheDecodedForm() {
    NearCache near = new NearCache(grid, GridSeal.withKey(KEY), Duration.ofMinutes(5), 100);
    near.put("hash-1", SESSION);
    java.util.concurrent.atomic.AtomicInteger decodes =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.Function<String, String> decode =
        value -> {
          decodes.incrementAndGet();
          return "decoded " + value;
        };

    for (int i = 0; i < 3; i++) {
      assertThat(near.get("hash-1", decode)).isEqualTo("decoded " + SESSION);
    }
    assertThat(decodes).hasValue(1);

    near.remove("hash-1");
    assertThat(near.get("hash-1", decode)).isNull();
    near.put("hash-1", "another value");
    assertThat(near.get("hash-1", decode)).isEqualTo("decoded another value");
  }

  @Test
  void aValueDecodedFromTheGridIsRefusedLikeAnyOtherWhenForged() {
    gridEntries.put("attacker-hash", SESSION);

    String decoded =
        instance(GridSeal.withKey(KEY))
            .get("attacker-hash", java.util.function.Function.identity());

    assertThat(decoded).isNull();
  }

  /**
   * An instance's near cache that keeps no copy worth using (they go stale at once), so every read
   * is answered by the grid, as on an instance that has not seen the entry yet.
   */
  private NearCache instance(GridSeal seal) {
    return new NearCache(grid, seal, Duration.ZERO, 100);
  }

  /** A JCache over a map, answering the calls a near cache makes. */
  @SuppressWarnings("unchecked")
  private static Cache<String, String> grid(String name, Map<String, String> entries) {
    return (Cache<String, String>)
        Proxy.newProxyInstance(
            NearCacheTest.class.getClassLoader(),
            new Class<?>[] {Cache.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getName" -> name;
                  case "get" -> entries.get((String) args[0]);
                  case "put" -> entries.put((String) args[0], (String) args[1]);
                  case "remove" -> entries.remove((String) args[0]) != null;
                  case "registerCacheEntryListener" -> null;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
